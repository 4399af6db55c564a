using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>Copies of a model's weights: snapshots for best-epoch keeping, freezing, and bitwise comparisons.</summary>
public static class ModelState
{
    /// <summary>A detached CPU copy of every parameter and buffer, by name. The caller disposes the tensors.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        var result = new Dictionary<string, Tensor>();
        using (no_grad())
            foreach (var (name, t) in module.state_dict())
                result[name] = t.detach().cpu().clone().DetachFromDisposeScope();
        return result;
    }

    public static void Restore(nn.Module module, Dictionary<string, Tensor> state)
    {
        using (no_grad())
            foreach (var (name, t) in module.state_dict())
                t.copy_(state[name]);
    }

    /// <summary>Disposes every tensor of a snapshot (null is allowed).</summary>
    public static void Dispose(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
    }

    /// <summary>Names of the tensors that differ in any bit between two snapshots.</summary>
    public static IReadOnlyList<string> ChangedTensors(Dictionary<string, Tensor> before, Dictionary<string, Tensor> after) =>
        before.Keys.Where(k => !before[k].bytes.SequenceEqual(after[k].bytes)).ToList();

    /// <summary>Leaves only parameters whose name starts with one of <paramref name="trainablePrefixes"/> trainable.</summary>
    public static void FreezeAllExcept(nn.Module module, params string[] trainablePrefixes)
    {
        foreach (var (name, p) in module.named_parameters())
            p.requires_grad = trainablePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
    }
}
