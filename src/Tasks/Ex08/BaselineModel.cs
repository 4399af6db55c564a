using Harness.Tasks.Ex08.Models;

namespace Harness.Tasks.Ex08;

/// <summary>The trained baseline of Q1.2 (its saved best-epoch weights) with the data prepared exactly as it was trained on.</summary>
public static class BaselineModel
{
    public static (MnistExampleCnn Model, PreparedData Data) Load(RunContext ctx)
    {
        var baseline = ctx.Dependency<Q1_2Baseline>();
        var model = new MnistExampleCnn();
        model.load(Path.Combine(baseline.Folder, baseline.Record.Artifacts[Q1_2Baseline.WeightsArtifact]));
        model.to(ctx.Device).eval();
        // The same sizes and seed give the same subsets and hence the same standardisation as in Q1.2.
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), baseline.Task.Settings(ctx.Options).Training.Sizes, ctx.Seed);
        return (model, data);
    }
}
