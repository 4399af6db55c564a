using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Grading.ModelFiles;

/// <summary>
/// Loads a submitted state_dict into the reference architecture strictly, as PyTorch's load_state_dict(strict=True)
/// does: every tensor of the reference present under its name with its shape, nothing extra. What differs is said
/// by name and shape (from the file's declared tensors, before any data is read), so that a student sees which layer
/// is missing, extra or the wrong size.
/// </summary>
public static class StrictLoader
{
    private const int Listed = 8;

    /// <summary>The reference's tensors (parameters and buffers) as entries.</summary>
    public static IReadOnlyList<TensorEntry> Expected(nn.Module reference) =>
        reference.state_dict().Select(kv => new TensorEntry(kv.Key, DTypes.FromScalarType(kv.Value.dtype) ?? kv.Value.dtype.ToString(), kv.Value.shape)).ToList();

    /// <summary>Every way the file's tensors differ from the reference's; empty when they load strictly.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<TensorEntry> expected, IReadOnlyList<TensorEntry> found)
    {
        var want = expected.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var have = found.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        var missing = expected.Where(e => !have.ContainsKey(e.Name)).ToList();
        var extra = found.Where(e => !want.ContainsKey(e.Name)).ToList();
        var shapes = expected.Where(e => have.TryGetValue(e.Name, out var f) && !f.Shape.SequenceEqual(e.Shape)).ToList();
        var types = expected.Where(e => have.TryGetValue(e.Name, out var f) && f.Shape.SequenceEqual(e.Shape) && !Convertible(f.DType, e.DType)).ToList();
        if (missing.Count > 0) problems.Add($"missing {List(missing.Select(m => m.ToString()))}");
        if (extra.Count > 0) problems.Add($"unexpected {List(extra.Select(x => x.ToString()))}");
        foreach (var s in shapes.Take(Listed)) problems.Add($"{s.Name} is {have[s.Name].ShapeText} where the reference has {s.ShapeText}");
        if (shapes.Count > Listed) problems.Add($"and {shapes.Count - Listed} more of the wrong shape");
        foreach (var t in types.Take(Listed)) problems.Add($"{t.Name} holds {have[t.Name].DType} where the reference holds {t.DType}");
        // Same shapes under other names: say which ones probably correspond (nn.Sequential's "net.0.weight" for "conv1.weight").
        if (missing.Count > 0 && missing.Count == extra.Count && missing.Zip(extra).All(p => p.First.Shape.SequenceEqual(p.Second.Shape)))
            problems.Add($"the shapes match in order, so the layers are probably only named differently: rename {string.Join(", ", missing.Zip(extra).Take(4).Select(p => $"{p.Second.Name} → {p.First.Name}"))}{(missing.Count > 4 ? ", …" : "")} (or name the modules as the reference does)");
        return problems;
    }

    /// <summary>Copies the tensors into the reference (converting floating types, e.g. float64 to float32); returns notes on conversions.</summary>
    public static IReadOnlyList<string> Load(nn.Module reference, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var notes = new List<string>();
        using var _ = no_grad();
        foreach (var (name, target) in reference.state_dict())
        {
            var source = tensors[name];
            if (source.dtype != target.dtype) notes.Add($"{name} was stored as {DTypes.FromScalarType(source.dtype)} and converted to {DTypes.FromScalarType(target.dtype)}");
            using var converted = source.to(target.dtype).reshape(target.shape);
            target.copy_(converted);
        }
        return notes.Count <= 3 ? notes : [.. notes.Take(3), $"and {notes.Count - 3} more tensors were converted"];
    }

    /// <summary>Tensors holding NaN or infinite values, with how many, e.g. "fc1.weight holds 12 NaN values".</summary>
    public static IReadOnlyList<string> NonFinite(nn.Module model)
    {
        var found = new List<string>();
        using var scope = NewDisposeScope();
        foreach (var (name, t) in model.state_dict())
        {
            if (!t.is_floating_point()) continue;
            long nan = t.isnan().sum().item<long>();
            long inf = t.isinf().sum().item<long>();
            if (nan + inf > 0)
                found.Add($"{name} holds {(nan > 0 ? $"{nan:N0} NaN" : "")}{(nan > 0 && inf > 0 ? " and " : "")}{(inf > 0 ? $"{inf:N0} infinite" : "")} value{(nan + inf == 1 ? "" : "s")} of {t.numel():N0}");
        }
        return found;
    }

    private static bool Convertible(string from, string to) => from == to || DTypes.IsFloating(from) && DTypes.IsFloating(to);

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return string.Join(", ", all.Take(Listed)) + (all.Count > Listed ? $" and {all.Count - Listed} more" : "");
    }
}
