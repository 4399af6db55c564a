using Harness.Core.Experiments;
using Harness.Tasks.Common;
using Harness.Tasks.Ex08.Models;
using TorchSharp;

namespace Harness.Tasks.Ex08;

/// <summary>The trained baseline of Q1.2 (its saved best-epoch weights) with the data prepared exactly as it was trained on.</summary>
public static class BaselineModel
{
    public static (MnistExampleCnn Model, PreparedData Data) Load(RunContext ctx)
    {
        var (record, folder) = ctx.Dependency("1.2");
        var model = new MnistExampleCnn();
        model.load(Path.Combine(folder, record.Artifacts["best_weights"]));
        model.to(ctx.Device).eval();
        // The same sizes and seed give the same subsets and hence the same standardisation as in Q1.2.
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), Ex08TrainSettings.For(ctx.Profile).Sizes, ctx.Seed);
        return (model, data);
    }
}
