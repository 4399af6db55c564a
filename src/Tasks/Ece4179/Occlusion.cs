namespace Harness.Tasks.Ece4179;

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus 2014, §4.2): copies of an image with a square patch of one grey value at
/// given positions, classified in batches; what is measured is the softmax score of one class (the true class) on each.
/// </summary>
public static class Occlusion
{
    /// <summary>Top-left corners of a patch slid over a side×side image with a stride, row by row (the last position may fall short of the edge).</summary>
    public static List<(int Y, int X)> Grid(int side, int patch, int stride)
    {
        var starts = Enumerable.Range(0, (side - patch) / stride + 1).Select(i => i * stride).ToList();
        return starts.SelectMany(y => starts.Select(x => (y, x))).ToList();
    }

    /// <summary>Copies of <paramref name="image"/> (3×H×W) with a patch×patch square set to <paramref name="fill"/> at each position.</summary>
    public static Tensor Occluded(Tensor image, IReadOnlyList<(int Y, int X)> positions, int patch, float fill)
    {
        long h = image.shape[1], w = image.shape[2];
        var device = image.device;
        using var rows = arange(h, dtype: int64, device: device).view(1, 1, h, 1);
        using var cols = arange(w, dtype: int64, device: device).view(1, 1, 1, w);
        using var y0 = tensor(positions.Select(p => (long)p.Y).ToArray(), device: device).view(-1, 1, 1, 1);
        using var x0 = tensor(positions.Select(p => (long)p.X).ToArray(), device: device).view(-1, 1, 1, 1);
        using var inside = rows.ge(y0).logical_and(rows.lt(y0 + patch)).logical_and(cols.ge(x0)).logical_and(cols.lt(x0 + patch));
        using var copies = image.unsqueeze(0).expand(positions.Count, -1, -1, -1);
        return where(inside, full_like(copies, fill), copies);
    }

    /// <summary>The class's softmax score on each occluded copy, classified <paramref name="batchSize"/> copies at a time.</summary>
    public static float[] Scores(nn.Module<Tensor, Tensor> model, Tensor image, int cls, IReadOnlyList<(int Y, int X)> positions, int patch, float fill, int batchSize)
    {
        var result = new float[positions.Count];
        using (no_grad())
            for (int start = 0; start < positions.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var chunk = positions.Skip(start).Take(batchSize).ToList();
                var p = nn.functional.softmax(model.call(Occluded(image, chunk, patch, fill)), 1).select(1, cls).cpu().data<float>().ToArray();
                p.CopyTo(result, start);
            }
        return result;
    }

    /// <summary>The class's softmax score on the image itself.</summary>
    public static float Score(nn.Module<Tensor, Tensor> model, Tensor image, int cls)
    {
        using var scope = NewDisposeScope();
        using (no_grad()) return nn.functional.softmax(model.call(image.unsqueeze(0)), 1)[0, cls].item<float>();
    }

    /// <summary>A score in [0, 1] as a colour: dark blue (0) through teal to yellow (1).</summary>
    public static (float R, float G, float B) Colour(float v)
    {
        v = Math.Clamp(v, 0, 1);
        (float R, float G, float B) lo = (0.13f, 0.10f, 0.45f), mid = (0.15f, 0.62f, 0.58f), hi = (0.99f, 0.91f, 0.15f);
        var (a, b, t) = v < 0.5f ? (lo, mid, v * 2) : (mid, hi, v * 2 - 1);
        return (a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
    }
}
