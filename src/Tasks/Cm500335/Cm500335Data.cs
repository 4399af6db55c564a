using Records = Harness.Core.Records;

namespace Harness.Tasks.Cm500335;

/// <summary>How many MNIST images a task uses: null means the whole canonical file (60,000 / 10,000).</summary>
public sealed record MnistSizes(int? Train, int? Test)
{
    /// <summary>"800 training images" (or "all 60,000 training images"), for requirement texts.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TrainScale => Train is { } n ? $"{Records.Show.Count(n)} training images" : $"all {Records.Show.Count(DataSetCatalog.Mnist.TrainImages.Shape[0])} training images";
    /// <summary>The training and test images used (null: the whole file).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public int TrainCount => Train ?? DataSetCatalog.Mnist.TrainImages.Shape[0];
    [System.Text.Json.Serialization.JsonIgnore] public int TestCount => Test ?? DataSetCatalog.Mnist.TestImages.Shape[0];
}

/// <summary>
/// MNIST as the brief prepares it: pixels scaled by x/127.5 − 1 into [−1, 1] (the loader gives x/255, so 2·x − 1),
/// with seeded stratified subsets at the smoke profile.
/// </summary>
public static class Cm500335Data
{
    /// <summary>The input range of every MNIST model in this assignment (used by the deep dream).</summary>
    public const float Min = -1f, Max = 1f;

    public static TrainTest Mnist(RunContext ctx, MnistSizes sizes)
    {
        var data = ctx.Data.Mnist();
        return new TrainTest(Scaled(data.Train, sizes.Train, ctx.Seed, "train"), Scaled(data.Test, sizes.Test, ctx.Seed, "test"));
    }

    /// <summary>The test images of <see cref="Mnist"/> alone (what a submitted model is graded on).</summary>
    public static ImageDataSet Test(DataSets data, MnistSizes sizes, int seed) => Scaled(data.Mnist().Test, sizes.Test, seed, "test");

    private static ImageDataSet Scaled(ImageDataSet source, int? count, int seed, string name)
    {
        var idx = Splits.StratifiedSubset(source.LabelArray(), count ?? source.Count, seed);
        var s = source.Subset(idx, "MNIST " + name);
        using (no_grad()) s.Images.mul_(2f).sub_(1f);
        return s;
    }

    /// <summary>Records the number of images used.</summary>
    public static void RecordSizes(RunContext ctx, TrainTest d)
    {
        ctx.Value("train_images", d.Train.Count);
        ctx.Value("test_images", d.Test.Count);
    }

    /// <summary>A 28×28 image (any float range) as the flat row-major pixels of a grid image.</summary>
    public static float[] Pixels(Tensor image) => image.detach().cpu().flatten().to_type(ScalarType.Float32).data<float>().ToArray();
}
