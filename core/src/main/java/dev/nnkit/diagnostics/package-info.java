/**
 * Per-layer statistics of a network on a batch ({@link dev.nnkit.diagnostics.Diagnostics},
 * {@link dev.nnkit.diagnostics.LayerStatistics}) and a training listener that records them
 * during a run ({@link dev.nnkit.diagnostics.DiagnosticsRecorder}).
 */
package dev.nnkit.diagnostics;
