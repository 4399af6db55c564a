using static TorchSharp.torch;

namespace Harness.Core.Metrics;

/// <summary>
/// A model that can run its forward pass step by step, naming each step's output. Gives the architecture
/// table (output shapes), per-layer activations and intermediate features (e.g. fc1 for t-SNE).
/// </summary>
public interface ITraceable
{
    /// <summary>The forward pass as named steps; the last output equals forward(x). Names of layers match child modules.</summary>
    IEnumerable<(string Name, Tensor Output)> Trace(Tensor input);
}

/// <summary>One row of an architecture table.</summary>
public sealed record LayerRow(string Layer, string OutputShape, long Parameters);

public static class ModelSummary
{
    /// <summary>Trainable-or-not parameter count of each direct child module with parameters, in registration order.</summary>
    public static IReadOnlyList<(string Layer, long Parameters)> ParameterCounts(nn.Module module) =>
        module.named_children()
            .Select(c => (c.name, c.module.parameters().Sum(p => p.numel())))
            .Where(c => c.Item2 > 0).ToList();

    public static long TotalParameters(nn.Module module) => module.parameters().Sum(p => p.numel());
    public static long TrainableParameters(nn.Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Rows (layer, output shape for one sample, parameters) from a traced pass of one dummy input.</summary>
    public static IReadOnlyList<LayerRow> Architecture(ITraceable model, long[] inputShape)
    {
        var module = (nn.Module)model;
        var counts = module.named_children().ToDictionary(c => c.name, c => c.module.parameters().Sum(p => p.numel()));
        var wasTraining = module.training;
        module.eval();
        var rows = new List<LayerRow>();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var device = module.parameters().FirstOrDefault()?.device ?? CPU;
            var x = zeros(new long[] { 1 }.Concat(inputShape).ToArray(), device: device);
            foreach (var (name, output) in model.Trace(x))
                rows.Add(new LayerRow(name, string.Join("×", output.shape.Skip(1)), counts.GetValueOrDefault(name)));
        }
        module.train(wasTraining);
        return rows;
    }
}
