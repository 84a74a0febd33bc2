// Tables analysts bring: parsing with clear errors, and encoding to numbers.
export { parseCsvTable, TableError, type RawTable } from './parse.js';
export { fitEncoder, encode, type Encoder, type ColumnEncoding, type EncodeOptions } from './encode.js';
