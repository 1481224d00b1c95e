/**
 * Files: the model file format ({@link dev.nnkit.io.ModelFile}), network configurations as JSON
 * ({@link dev.nnkit.io.NetworkConfigs}), the IDX and CSV data-set readers
 * ({@link dev.nnkit.io.IdxReader}, {@link dev.nnkit.io.CsvReader}) and the exception naming where
 * a data file is wrong ({@link dev.nnkit.io.DataFileException}).
 */
package dev.nnkit.io;
