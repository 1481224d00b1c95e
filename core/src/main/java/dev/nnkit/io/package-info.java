/**
 * Files: the model file format ({@link dev.nnkit.io.ModelFile}), network configurations as JSON
 * ({@link dev.nnkit.io.NetworkConfigs}) and the exception naming where a file is wrong
 * ({@link dev.nnkit.io.DataFileException}). Readers of particular data formats (IDX, CSV) are in
 * {@link dev.nnkit.io.formats}.
 */
package dev.nnkit.io;
