using Harness.Core.Training;

namespace Harness.Core.Data;

/// <summary>
/// A synthetic stand-in for STL-10, for CI and for anyone without the real data: 13,000 images (500 per class in
/// train_X.bin, 800 in test_X.bin, as in the release) written in the exact official binary layout into a temporary data
/// root, and read by the same loader with the same checks. Each class is an object with its own shape, colour and
/// texture (some classes share two of the three, so that they are confused with each other, as STL-10's animals and
/// vehicles are), at a random place, size and angle, on a random gradient background with clutter and pixel noise.
/// <para>It is one fixed data set: every image comes from its own <see cref="SeededRandom"/> stream (fixed seed, split,
/// index) and only exact IEEE arithmetic (no sin, cos or exp), so every machine writes the same bytes; their MD5s are
/// recorded below and checked when they are read, and they are what the run key says the data were. Nothing about it
/// is STL-10: records and reports made from it say <see cref="Note"/>.</para>
/// </summary>
public static class Stl10StandIn
{
    /// <summary>Bump with any change to the images (and record the new checksums below).</summary>
    public const int Version = 1;
    public const string Note = "synthetic stand-in, not STL-10";
    public const int TrainPerClass = 500, TestPerClass = 800;
    private const long Seed = 0x57_10_5A;

    /// <summary>The stand-in's files: the official names and layout, its own checksums.</summary>
    public static readonly DataSetInfo Layout = Stl10Catalog.Layout("stl10-standin", $"STL-10 stand-in v{Version} (synthetic)",
        TrainPerClass * Stl10Catalog.ClassNames.Length, TestPerClass * Stl10Catalog.ClassNames.Length,
        "a5fe98cbdd6d3a0852f749c6d98e9d62", "9a22ad5a5feb36cd4efd17dbbeacaeb2", "fe3c10f794c2dc8ed90816563a451733", "fc4a50f6fc7ad45d42b3df55f411689f");

    /// <summary>The data root it is written into (under the system's temporary folder, never inside the project).</summary>
    public static string Root => Path.Combine(Path.GetTempPath(), $"harness-stl10-standin-v{Version}");

    /// <summary>The stand-in's stl10_binary folder: written on first use (into a temporary name, then renamed), afterwards reused.</summary>
    public static string Ensure(IProgressSink progress)
    {
        var folder = Path.Combine(Root, Stl10Catalog.Folder);
        if (Complete(folder)) return folder;
        var tmp = $"{Root}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        progress.Message($"STL-10 not found: writing the {Note} (v{Version}, {Layout.TrainImages.Shape[0] + Layout.TestImages.Shape[0]:N0} images in the official layout) to {Root}");
        Write(Path.Combine(tmp, Stl10Catalog.Folder), TrainPerClass, TestPerClass);
        if (Directory.Exists(Root) && !Complete(folder)) Directory.Delete(Root, true);
        try { Directory.Move(tmp, Root); }
        catch (IOException) when (Complete(folder)) { Directory.Delete(tmp, true); } // another process wrote it first
        return folder;
    }

    private static bool Complete(string folder) =>
        Layout.Files.All(f => new FileInfo(Path.Combine(folder, f.Name)) is { Exists: true } i && i.Length == Stl10Catalog.Bytes(f));

    /// <summary>
    /// Writes a stand-in with the given images per class into <paramref name="folder"/> (train_X/train_y/test_X/test_y.bin
    /// and class_names.txt); returns each file's MD5 by name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Write(string folder, int trainPerClass, int testPerClass)
    {
        Directory.CreateDirectory(folder);
        var md5 = new Dictionary<string, string>();
        foreach (var (split, perClass, images, labels) in new[] { (1, trainPerClass, "train_X.bin", "train_y.bin"), (2, testPerClass, "test_X.bin", "test_y.bin") })
        {
            var classes = Labels(split, perClass);
            var pixels = new byte[(long)classes.Length * Stl10Catalog.ImageBytes];
            Parallel.For(0, classes.Length, i =>
                Image((int)classes[i], Stream(split, i)).CopyTo(pixels.AsSpan(i * Stl10Catalog.ImageBytes, Stl10Catalog.ImageBytes)));
            var x = Stl10Format.EncodeImages(pixels);
            var y = Stl10Format.EncodeLabels(classes);
            File.WriteAllBytes(Path.Combine(folder, images), x);
            File.WriteAllBytes(Path.Combine(folder, labels), y);
            md5[images] = Stl10Format.Md5(x);
            md5[labels] = Stl10Format.Md5(y);
        }
        File.WriteAllLines(Path.Combine(folder, Stl10Catalog.ClassNamesFile), Stl10Catalog.ClassNames);
        return md5;
    }

    /// <summary>The random stream image <paramref name="index"/> of a split (1 = train, 2 = test) is drawn from.</summary>
    public static SeededRandom Stream(int split, int index) => new(Seed, split, index);

    /// <summary>The classes of a split: <paramref name="perClass"/> of each, in a seeded random order.</summary>
    public static long[] Labels(int split, int perClass)
    {
        var labels = Enumerable.Range(0, Stl10Catalog.ClassNames.Length * perClass).Select(i => (long)(i / perClass)).ToArray();
        new SeededRandom(Seed, split, -1).Shuffle(labels);
        return labels;
    }

    private enum Shape { Cross, Triangle, WideBox, Disc, TallEllipse, Ring }
    private enum Texture { Solid, HorizontalStripes, VerticalStripes, DiagonalStripes, Checker, Dots }
    private sealed record Look(Shape Shape, double R, double G, double B, Texture Texture);

    /// <summary>
    /// What each class looks like (index = class of <see cref="Stl10Catalog.ClassNames"/>). Pairs share features on
    /// purpose: bird/deer a triangle, cat/dog a disc, deer/dog colour and dots, car/truck/ship a wide box, car/truck red.
    /// </summary>
    private static readonly Look[] Looks =
    {
        new(Shape.Cross, 0.88, 0.88, 0.92, Texture.Solid),           // airplane
        new(Shape.Triangle, 0.90, 0.55, 0.15, Texture.Solid),        // bird
        new(Shape.WideBox, 0.85, 0.15, 0.15, Texture.HorizontalStripes), // car
        new(Shape.Disc, 0.90, 0.60, 0.20, Texture.VerticalStripes),  // cat
        new(Shape.Triangle, 0.60, 0.40, 0.20, Texture.Dots),         // deer
        new(Shape.Disc, 0.60, 0.40, 0.20, Texture.Dots),             // dog
        new(Shape.TallEllipse, 0.45, 0.28, 0.12, Texture.Solid),     // horse
        new(Shape.Ring, 0.35, 0.22, 0.15, Texture.Solid),            // monkey
        new(Shape.WideBox, 0.30, 0.40, 0.75, Texture.DiagonalStripes), // ship
        new(Shape.WideBox, 0.80, 0.20, 0.20, Texture.Checker),       // truck
    };

    /// <summary>One image of class <paramref name="cls"/> as 3×96×96 bytes (channel, row, column), drawn from <paramref name="rng"/>.</summary>
    public static byte[] Image(int cls, SeededRandom rng)
    {
        const int side = Stl10Catalog.Side, plane = side * side;
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        var img = new double[3 * plane];

        // Background: a linear gradient between two random muted colours in a random direction.
        var a = new[] { U(0.3, 0.7), U(0.3, 0.7), U(0.3, 0.7) };
        var b = a.Select(v => Math.Clamp(v + U(-0.2, 0.2), 0, 1)).ToArray();
        double gx = U(-1, 1), gy = U(-1, 1), gn = Math.Sqrt(gx * gx + gy * gy) + 1e-9;
        gx /= gn; gy /= gn;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                double t = Math.Clamp(0.5 + (gx * (x - side / 2.0) + gy * (y - side / 2.0)) / side, 0, 1);
                for (int c = 0; c < 3; c++) img[c * plane + y * side + x] = a[c] + (b[c] - a[c]) * t;
            }

        // Clutter: up to three small solid shapes of any kind and random colour, drawn before the object.
        int clutter = rng.NextInt(4);
        for (int k = 0; k < clutter; k++)
        {
            var shape = (Shape)rng.NextInt(Enum.GetValues<Shape>().Length);
            double cx = U(0, side), cy = U(0, side), h = U(3, 8);
            var colour = new[] { U(0, 1), U(0, 1), U(0, 1) };
            Paint(img, cx, cy, h, h, 1, 0, (lx, ly) => Inside(shape, lx, ly) ? colour : null);
        }

        // The object: the class's shape, colour (jittered) and texture, at a random place, size, aspect and angle.
        var look = Looks[cls];
        double Jitter() => (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5) * 0.2;
        var primary = new[] { Math.Clamp(look.R + Jitter(), 0, 1), Math.Clamp(look.G + Jitter(), 0, 1), Math.Clamp(look.B + Jitter(), 0, 1) };
        var secondary = primary.Select(v => v * 0.5).ToArray();
        double ox = U(30, 66), oy = U(30, 66), size = U(16, 28), aspect = U(0.85, 1.15);
        // cos and sin of an angle of up to ±44° from t = tan(angle/2), with + − × ÷ only.
        double tr = U(-0.4, 0.4), cos = (1 - tr * tr) / (1 + tr * tr), sin = 2 * tr / (1 + tr * tr);
        double period = U(5, 8);
        Paint(img, ox, oy, size * aspect, size / aspect, cos, sin, (lx, ly) =>
        {
            if (!Inside(look.Shape, lx, ly)) return null;
            double ux = lx * size / period, uy = ly * size / period;
            bool second = look.Texture switch
            {
                Texture.HorizontalStripes => Odd(uy),
                Texture.VerticalStripes => Odd(ux),
                Texture.DiagonalStripes => Odd(ux + uy),
                Texture.Checker => Odd(ux) ^ Odd(uy),
                Texture.Dots => Square(ux - Math.Round(ux)) + Square(uy - Math.Round(uy)) < 0.09,
                _ => false,
            };
            return second ? secondary : primary;
        });

        // Exposure and noise: global contrast and brightness, then triangular pixel noise (sd ≈ 0.1).
        double contrast = U(0.8, 1.2), brightness = U(-0.08, 0.08);
        var result = new byte[3 * plane];
        for (int i = 0; i < result.Length; i++)
        {
            double v = (img[i] - 0.5) * contrast + 0.5 + brightness + (rng.NextDouble() + rng.NextDouble() - 1) * 0.25;
            result[i] = (byte)Math.Clamp(Math.Round(v * 255), 0, 255);
        }
        return result;
    }

    private static bool Odd(double v) => ((long)Math.Floor(v) & 1) == 1;
    private static double Square(double v) => v * v;

    private static bool Inside(Shape shape, double x, double y) => shape switch
    {
        Shape.Cross => (Math.Abs(x) < 0.28 && Math.Abs(y) < 1) || (Math.Abs(y) < 0.28 && Math.Abs(x) < 1),
        Shape.Triangle => y > -0.9 && y < 0.9 && Math.Abs(x) < (y + 0.9) / 1.8,
        Shape.WideBox => Math.Abs(x) < 1 && Math.Abs(y) < 0.5,
        Shape.Disc => x * x + y * y < 0.81,
        Shape.TallEllipse => x * x / 0.3 + y * y < 1,
        Shape.Ring => x * x + y * y is > 0.3 and < 1,
        _ => false,
    };

    /// <summary>
    /// Paints a shape centred at (cx, cy): each pixel is mapped to the shape's own frame (rotated by the angle with
    /// cosine/sine given, scaled by the half-widths) and takes the colour <paramref name="colour"/> gives there, if any.
    /// </summary>
    private static void Paint(double[] img, double cx, double cy, double halfWidth, double halfHeight, double cos, double sin,
        Func<double, double, double[]?> colour)
    {
        const int side = Stl10Catalog.Side, plane = side * side;
        double reach = Math.Sqrt(halfWidth * halfWidth + halfHeight * halfHeight);
        int x0 = Math.Max(0, (int)(cx - reach)), x1 = Math.Min(side - 1, (int)(cx + reach) + 1);
        int y0 = Math.Max(0, (int)(cy - reach)), y1 = Math.Min(side - 1, (int)(cy + reach) + 1);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double dx = x - cx, dy = y - cy;
                var c = colour((dx * cos + dy * sin) / halfWidth, (-dx * sin + dy * cos) / halfHeight);
                if (c is null) continue;
                for (int k = 0; k < 3; k++) img[k * plane + y * side + x] = c[k];
            }
    }
}
