/**
 * Readers of particular data-file formats into {@link dev.nnkit.data.Dataset}s and matrices: IDX
 * (the MNIST family; {@link dev.nnkit.io.formats.IdxReader}) and CSV
 * ({@link dev.nnkit.io.formats.CsvReader}). Each reports a malformed file with a
 * {@link dev.nnkit.io.DataFileException} naming the file, the position and the problem.
 */
package dev.nnkit.io.formats;
