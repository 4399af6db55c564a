namespace Harness.Tasks.Hw4;

/// <summary>The points of Problem 1 as tensors: coordinates N×2 (float64, the file's units) and labels N×1 (0/1).</summary>
public sealed record PointSet(Tensor X, Tensor Y)
{
    public int Count => (int)X.shape[0];
}

/// <summary>The seed's data: its first 50,000 rows for training, the remaining 10,000 for testing.</summary>
public sealed record PentagonData(PointSet Train, PointSet Test)
{
    public PointSet All => new(cat(new[] { Train.X, Test.X }), cat(new[] { Train.Y, Test.Y }));
}

/// <summary>
/// The "two pentagons" of Homework 4, Problem 1: the seed's polygons, a seeded generator for a stand-in of its
/// HW4_data.npy (60,000 rows of x, y, label; points uniform over a box around both polygons, label 1 inside either),
/// and the reader that loads such a file the way a user with the original would.
/// </summary>
public static class Pentagons
{
    public static readonly double[][] Upper = { new[] { 500.0, 1000 }, new[] { 300.0, 800 }, new[] { 400.0, 600 }, new[] { 600.0, 600 }, new[] { 700.0, 800 } };
    public static readonly double[][] Lower = { new[] { 500.0, 600 }, new[] { 100.0, 400 }, new[] { 300.0, 200 }, new[] { 700.0, 200 }, new[] { 900.0, 400 } };
    public static IReadOnlyList<double[][]> Polygons { get; } = new[] { Upper, Lower };

    /// <summary>The sampling box: the polygons' bounding box (100–900 × 200–1000) with a margin of 100.</summary>
    public const double XMin = 0, XMax = 1000, YMin = 100, YMax = 1100;
    public const int Rows = 60000, TrainRows = 50000;

    /// <summary>Even–odd ray casting; independent of the half-plane construction of the threshold network it checks.</summary>
    public static bool Inside(double[][] polygon, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            double xi = polygon[i][0], yi = polygon[i][1], xj = polygon[j][0], yj = polygon[j][1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    /// <summary>Euclidean distance from (x, y) to the nearest edge of either polygon.</summary>
    public static double DistanceToEdges(double x, double y)
    {
        double best = double.PositiveInfinity;
        foreach (var poly in Polygons)
            for (int i = 0; i < poly.Length; i++)
            {
                var a = poly[i]; var b = poly[(i + 1) % poly.Length];
                double dx = b[0] - a[0], dy = b[1] - a[1];
                double t = Math.Clamp(((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy), 0, 1);
                best = Math.Min(best, Math.Sqrt(Math.Pow(x - a[0] - t * dx, 2) + Math.Pow(y - a[1] - t * dy, 2)));
            }
        return best;
    }

    public static int Label(double x, double y) => Polygons.Any(p => Inside(p, x, y)) ? 1 : 0;

    /// <summary>Rows of (x, y, label), row-major, seeded.</summary>
    public static double[] Generate(int seed, int rows = Rows)
    {
        var rng = new SeededRandom(seed, 0x9e7a, 1);
        var data = new double[rows * 3];
        for (int i = 0; i < rows; i++)
        {
            double x = XMin + (XMax - XMin) * rng.NextDouble(), y = YMin + (YMax - YMin) * rng.NextDouble();
            data[3 * i] = x; data[3 * i + 1] = y; data[3 * i + 2] = Label(x, y);
        }
        return data;
    }

    /// <summary>Loads a HW4_data.npy-shaped file (N×3 float64: x, y, label); the first 50,000 rows are the training set.</summary>
    public static PentagonData Load(string path)
    {
        var (data, shape) = NpyFile.Read(path);
        if (shape.Length != 2 || shape[1] != 3 || shape[0] <= TrainRows)
            throw new NpyFormatException($"{path}: expected N×3 rows (x, y, label) with N > {TrainRows}, found ({string.Join(", ", shape)})");
        using var all = tensor(data, new[] { shape[0], 3L }, float64);
        PointSet Part(long start, long length)
        {
            var rows = all.narrow(0, start, length);
            return new PointSet(rows.narrow(1, 0, 2).contiguous().DetachFromDisposeScope(), rows.narrow(1, 2, 1).contiguous().DetachFromDisposeScope());
        }
        return new PentagonData(Part(0, TrainRows), Part(TrainRows, shape[0] - TrainRows));
    }

    /// <summary>Centres of a cells×cells grid over the box, row 0 at the bottom (as <c>RegionMapSpec</c> draws it): (cells², 2).</summary>
    public static Tensor GridPoints(int cells)
    {
        var pts = new double[cells * cells * 2];
        for (int r = 0; r < cells; r++)
            for (int c = 0; c < cells; c++)
            {
                pts[2 * (r * cells + c)] = XMin + (c + 0.5) * (XMax - XMin) / cells;
                pts[2 * (r * cells + c) + 1] = YMin + (r + 0.5) * (YMax - YMin) / cells;
            }
        return tensor(pts, new long[] { cells * cells, 2 }, float64);
    }

    /// <summary>Predicted labels on the grid as rows for <c>RegionMapSpec</c>.</summary>
    public static double[][] ToRows(double[] labels, int cells) =>
        Enumerable.Range(0, cells).Select(r => labels.AsSpan(r * cells, cells).ToArray()).ToArray();
}
