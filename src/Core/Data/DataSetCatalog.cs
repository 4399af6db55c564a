namespace Harness.Core.Data;

/// <summary>One file of a data set with the MD5 of its uncompressed content and its array shape.</summary>
public sealed record DataFile(string Name, string Md5, int[] Shape);

/// <summary>A data set the harness knows: folder name under a data root, files, classes and download mirrors.</summary>
public sealed record DataSetInfo(string Id, string Folder, string DisplayName, string[] ClassNames,
    DataFile TrainImages, DataFile TrainLabels, DataFile TestImages, DataFile TestLabels, string[] Mirrors)
{
    public IEnumerable<DataFile> Files => new[] { TrainImages, TrainLabels, TestImages, TestLabels };
}

/// <summary>The canonical data sets (checksums of the uncompressed files, as in shared/data/README.md).</summary>
public static class DataSetCatalog
{
    public static readonly DataSetInfo Mnist = new("mnist", "mnist", "MNIST",
        Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(),
        new("train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb", new[] { 60000, 28, 28 }),
        new("train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624", new[] { 60000 }),
        new("t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea", new[] { 10000, 28, 28 }),
        new("t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637", new[] { 10000 }),
        new[] { "https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/" });

    public static readonly DataSetInfo FashionMnist = new("fashion-mnist", "fashion-mnist", "Fashion-MNIST",
        new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" },
        new("train-images-idx3-ubyte", "f4a8712d7a061bf5bd6d2ca38dc4d50a", new[] { 60000, 28, 28 }),
        new("train-labels-idx1-ubyte", "9018921c3c673c538a1fc5bad174d6f9", new[] { 60000 }),
        new("t10k-images-idx3-ubyte", "8181f5470baa50b63fa0f6fddb340f0a", new[] { 10000, 28, 28 }),
        new("t10k-labels-idx1-ubyte", "15d484375f8d13e6eb1aabb0c3f46965", new[] { 10000 }),
        new[] { "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/" });

    public static readonly IReadOnlyList<DataSetInfo> All = new[] { Mnist, FashionMnist };

    public static DataSetInfo Get(string id) => All.FirstOrDefault(d => d.Id.Equals(id, StringComparison.OrdinalIgnoreCase))
        ?? throw new Experiments.HarnessException($"Unknown data set '{id}'. Known: {string.Join(", ", All.Select(d => d.Id))}.");
}
