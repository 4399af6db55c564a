namespace Harness.Core.Data;

/// <summary>
/// STL-10's binary release (Coates, Lee and Ng, 2011): the archive, its folder, the four labelled files with their
/// canonical MD5s and sizes (as in shared/data/README.md), and the class names. A file's shape is N×3×96×96 for
/// images and N for labels; its size in bytes is the product (one byte per pixel or label).
/// </summary>
public static class Stl10Catalog
{
    /// <summary>The folder the archive unpacks into, and that a data root holds (directly or under <c>stl10/</c>).</summary>
    public const string Folder = "stl10_binary";
    public const string Url = "http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz";
    public const int Side = 96, Channels = 3, ImageBytes = Side * Side * Channels;
    /// <summary>STL-10's labels count from 1 (1 = airplane … 10 = truck); the harness uses 0-based classes.</summary>
    public const int FirstLabel = 1;
    public const string ClassNamesFile = "class_names.txt";

    public static readonly string[] ClassNames = { "airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck" };

    public static readonly DataSetInfo Stl10 = Layout("stl10", "STL-10", 5000, 8000,
        "918c2871b30a85fa023e0c44e0bee87f", "5a34089d4802c674881badbb80307741", "7f263ba9f9e0b06b93213547f721ac82", "36f9794fa4beb8a2c72628de14fa638e",
        Url);

    /// <summary>Files in the official layout with the given counts and MD5s (the canonical release, the stand-in, a test's archive).</summary>
    public static DataSetInfo Layout(string id, string displayName, int trainCount, int testCount,
        string trainImagesMd5, string trainLabelsMd5, string testImagesMd5, string testLabelsMd5, string url = "") =>
        new(id, Folder, displayName, ClassNames,
            new DataFile("train_X.bin", trainImagesMd5, new[] { trainCount, Channels, Side, Side }),
            new DataFile("train_y.bin", trainLabelsMd5, new[] { trainCount }),
            new DataFile("test_X.bin", testImagesMd5, new[] { testCount, Channels, Side, Side }),
            new DataFile("test_y.bin", testLabelsMd5, new[] { testCount }),
            url.Length > 0 ? new[] { url } : Array.Empty<string>());

    /// <summary>Bytes of a file of the layout.</summary>
    public static long Bytes(DataFile file) => file.Shape.Aggregate(1L, (a, b) => a * b);

    public static bool IsImages(DataFile file) => file.Shape.Length == 4;

    /// <summary>The STL-10 folders a data root may hold, in the order they are tried.</summary>
    public static IEnumerable<string> Candidates(string root) => new[] { Path.Combine(root, Folder), Path.Combine(root, "stl10", Folder) };

    /// <summary>The first folder under the roots that holds all four labelled files, or null.</summary>
    public static string? Locate(IEnumerable<string> roots) =>
        roots.SelectMany(Candidates).FirstOrDefault(folder => Stl10.Files.All(f => File.Exists(Path.Combine(folder, f.Name))));
}
