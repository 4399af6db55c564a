namespace Harness.Tasks.Common;

/// <summary>The classifiers of every assignment train through <see cref="RunContext.Train"/> on prepared splits.</summary>
public static class ClassifierTraining
{
    /// <summary>Trains on the training split, evaluating validation and test after every epoch (best epoch by validation accuracy).</summary>
    public static TrainingResult TrainClassifier(this RunContext ctx, string label, nn.Module<Tensor, Tensor> model, TrainingRecipe recipe,
        PreparedData data, Func<Tensor, Batch, Tensor>? augment = null) =>
        ctx.Train(label, model, recipe, new ClassifierObjective(model, data.Train, data.Validation, data.Test, ctx.Device, augment));
}
