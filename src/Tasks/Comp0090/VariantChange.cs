using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// One change that makes a variant of 3.2 out of its parent: every field given replaces the parent's (kernel, hidden
/// layers, dropout, batch norm, optimiser, learning rate, L2 penalty), <see cref="Widen"/> multiplies every conv
/// layer's channels, and <see cref="ConvLayers"/> = +1 appends a conv layer of twice the last one's channels, −1 drops
/// the last one; what is left null is inherited.
/// </summary>
public sealed record VariantChange(string Name, double? Widen = null, int ConvLayers = 0, int? Kernel = null, int[]? Hidden = null, double? Dropout = null,
    bool? BatchNorm = null, string? Optimizer = null, double? LearningRate = null, double? L2 = null)
{
    public CnnConfig Apply(CnnConfig parent) => parent with
    {
        Shape = parent.Shape with
        {
            Channels = Channels(parent.Shape.Channels), Kernel = Kernel ?? parent.Shape.Kernel, Hidden = Hidden ?? parent.Shape.Hidden,
            Dropout = Dropout ?? parent.Shape.Dropout, BatchNorm = BatchNorm ?? parent.Shape.BatchNorm,
        },
        Optimizer = Optimizer ?? parent.Optimizer, LearningRate = LearningRate ?? parent.LearningRate, L2 = L2 ?? parent.L2,
    };

    /// <summary>What differs between a parent and its child, e.g. "learning rate 0.001 → 0.003; dropout 0 → 0.25".</summary>
    private int[] Channels(int[] parent)
    {
        var c = Widen is { } w ? parent.Select(n => (int)Math.Round(n * w)).ToArray() : parent;
        return ConvLayers switch
        {
            0 => c,
            1 => [.. c, 2 * c[^1]],
            -1 when c.Length > 1 => c[..^1],
            _ => throw new ArgumentException($"{Name}: a change adds or drops one conv layer (of {c.Length})"),
        };
    }

    public static string Describe(CnnConfig parent, CnnConfig child)
    {
        var parts = new List<string>();
        void Diff(string what, string a, string b) { if (a != b) parts.Add($"{what} {a} → {b}"); }
        Diff("channels", ConvText(parent.Shape), ConvText(child.Shape));
        Diff("kernel", $"{parent.Shape.Kernel}×{parent.Shape.Kernel}", $"{child.Shape.Kernel}×{child.Shape.Kernel}");
        Diff("hidden layers", HiddenText(parent.Shape), HiddenText(child.Shape));
        Diff("dropout", Show.Short(parent.Shape.Dropout, 2), Show.Short(child.Shape.Dropout, 2));
        Diff("batch norm", parent.Shape.BatchNorm ? "on" : "off", child.Shape.BatchNorm ? "on" : "off");
        Diff("optimiser", parent.Optimizer, child.Optimizer);
        Diff("learning rate", Show.Short(parent.LearningRate, 6), Show.Short(child.LearningRate, 6));
        Diff("L2", Show.Short(parent.L2, 6), Show.Short(child.L2, 6));
        return parts.Count == 0 ? Unchanged : string.Join("; ", parts);
    }

    public const string Unchanged = "no change";

    public static string ConvText(CnnShape s) => string.Join("-", s.Channels);
    public static string HiddenText(CnnShape s) => s.Hidden.Length == 0 ? "none" : string.Join("-", s.Hidden);
}
