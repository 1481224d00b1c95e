/**
 * Training a {@link dev.nnkit.Network}: the {@link dev.nnkit.training.Trainer} and its run
 * ({@link dev.nnkit.training.TrainingSession}), what listeners see and may do
 * ({@link dev.nnkit.training.TrainingListener}, {@link dev.nnkit.training.TrainingContext}), the
 * record of a run ({@link dev.nnkit.training.TrainingHistory},
 * {@link dev.nnkit.training.TrainingState}), the stock listeners
 * ({@link dev.nnkit.training.EarlyStopping}, {@link dev.nnkit.training.Checkpoints},
 * {@link dev.nnkit.training.CostLogger}), copies of the model's arrays
 * ({@link dev.nnkit.training.ModelSnapshot}) and the failure of a diverging run
 * ({@link dev.nnkit.training.TrainingDivergedException}).
 */
package dev.nnkit.training;
