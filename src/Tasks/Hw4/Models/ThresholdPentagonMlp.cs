using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Hw4.Models;

/// <summary>
/// Problem 1(a): a hand-set 2-10-2-1 MLP with threshold (Heaviside, step(z) = [z ≥ 0]) activations. Each of the 10
/// hidden units is the half-plane on the inner side of one polygon edge; each of the two AND units fires when all
/// five half-planes of its polygon fire (weights 1, bias −4.5); the OR unit fires when either AND unit does
/// (weights 1, bias −0.5). Float64, so the edge weights (hundreds) and biases (hundreds of thousands) are exact.
/// </summary>
public sealed class ThresholdPentagonMlp : Module<Tensor, Tensor>
{
    private readonly Linear edges;
    private readonly Linear and;
    private readonly Linear or;

    public ThresholdPentagonMlp(IReadOnlyList<double[][]> polygons) : base(nameof(ThresholdPentagonMlp))
    {
        int n = polygons.Sum(p => p.Length);
        edges = Linear(2, n, dtype: float64);
        and = Linear(n, polygons.Count, dtype: float64);
        or = Linear(polygons.Count, 1, dtype: float64);
        RegisterComponents();

        var w = new double[n * 2]; var b = new double[n];
        var andW = new double[polygons.Count * n];
        int k = 0;
        for (int p = 0; p < polygons.Count; p++)
        {
            var poly = polygons[p];
            double orientation = Math.Sign(SignedArea(poly));
            for (int i = 0; i < poly.Length; i++, k++)
            {
                // Edge a→b: (b−a) × (q−a) has the polygon's orientation sign for q on the inner side.
                var a = poly[i]; var c = poly[(i + 1) % poly.Length];
                double dx = c[0] - a[0], dy = c[1] - a[1];
                w[2 * k] = -dy * orientation; w[2 * k + 1] = dx * orientation;
                b[k] = (dy * a[0] - dx * a[1]) * orientation;
                andW[p * n + k] = 1;
            }
        }
        using (no_grad())
        {
            edges.weight!.copy_(tensor(w, new long[] { n, 2 }, float64));
            edges.bias!.copy_(tensor(b, float64));
            and.weight!.copy_(tensor(andW, new long[] { polygons.Count, n }, float64));
            and.bias!.copy_(tensor(polygons.Select(poly => 0.5 - poly.Length).ToArray(), float64));
            or.weight!.fill_(1.0);
            or.bias!.fill_(-0.5);
        }
        foreach (var prm in parameters()) prm.requires_grad = false;
    }

    private static double SignedArea(double[][] poly) =>
        0.5 * Enumerable.Range(0, poly.Length).Sum(i => poly[i][0] * poly[(i + 1) % poly.Length][1] - poly[(i + 1) % poly.Length][0] * poly[i][1]);

    private static Tensor Step(Tensor z) => z.ge(0).to(float64);

    /// <summary>Coordinates N×2 (float64) → labels N×1 in {0, 1}.</summary>
    public override Tensor forward(Tensor x) => Step(or.call(Step(and.call(Step(edges.call(x))))));

    /// <summary>Every weight and bias, for the initialisation range of 1(b).</summary>
    public double[] AllParameters() => parameters().SelectMany(p => p.data<double>().ToArray()).ToArray();
}
