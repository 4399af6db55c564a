using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>How many Fashion-MNIST images task 6 uses (null: the whole file) and how it trains (the brief: Adam, batch 10, lr 0.001, 5 epochs).</summary>
/// <param name="Dense">widths of the dense layers [shared/first, second, third]: the brief's [3136, 1024, 100] at full</param>
public sealed record FashionSettings(int? Train, int? Test, int Epochs, int BatchSize, double LearningRate, int[] Dense)
{
    /// <summary>Adam at the brief's rate; the last epoch's weights are kept.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec("Adam", LearningRate)) { KeepBest = false };
    /// <summary>
    /// One training's size for time estimates (the test set measured after every epoch), weighted by the network's
    /// cost: smoke narrows the dense layers, so its images are several times cheaper than the brief's.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Work => WorkVolume.WeightedTraining(Epochs, Train ?? FashionGroups.TrainImages, Test ?? 10000,
        FashionCnn.MultiplyAccumulates(Dense, 10), FashionCnn.Weights(Dense, 10), BatchSize);
}

/// <summary>
/// Task 6's second label: the brief's three groups of Fashion-MNIST items — shoes {5 sandal, 7 sneaker, 9 ankle boot},
/// gendered {3 dress, 6 shirt, 8 bag} and unisex {0 T-shirt/top, 1 trouser, 2 pullover, 4 coat}.
/// </summary>
public static class FashionGroups
{
    /// <summary>Fashion-MNIST's training images (what a <c>null</c> count means).</summary>
    public const int TrainImages = 60000;
    public static readonly string[] Names = { "shoes", "gendered", "unisex" };
    public static readonly int[][] Members = { new[] { 5, 7, 9 }, new[] { 3, 6, 8 }, new[] { 0, 1, 2, 4 } };

    /// <summary>Group index of each item class 0–9.</summary>
    public static readonly long[] OfItem = Enumerable.Range(0, 10).Select(c => (long)Array.FindIndex(Members, m => m.Contains(c))).ToArray();

    /// <summary>True when the mapping is exactly the brief's: every item in exactly one group, groups as listed.</summary>
    public static bool MappingIsTheBriefs() =>
        Members.SelectMany(m => m).OrderBy(c => c).SequenceEqual(Enumerable.Range(0, 10))
        && OfItem.SequenceEqual(new long[] { 2, 2, 2, 1, 2, 0, 1, 0, 1, 0 });

    /// <summary>Item-labelled and group-labelled views of the same (seeded, stratified) Fashion-MNIST subsets, pixels in [0, 1].</summary>
    public static (TrainTest Items, TrainTest Groups) Load(RunContext ctx, FashionSettings s)
    {
        var data = ctx.Data.FashionMnist();
        var train = Subset(data.Train, s.Train, ctx.Seed);
        var test = Subset(data.Test, s.Test, ctx.Seed);
        return (new TrainTest(train, test), new TrainTest(Grouped(train), Grouped(test)));
    }

    private static ImageDataSet Subset(ImageDataSet d, int? count, int seed) =>
        count is null ? d : d.Subset(Splits.StratifiedSubset(d.LabelArray(), count.Value, seed));

    /// <summary>The same images with group labels (the image tensor is shared, not copied).</summary>
    public static ImageDataSet Grouped(ImageDataSet items)
    {
        using var map = tensor(OfItem);
        var labels = map.index_select(0, items.Labels);
        labels.DetachFromDisposeScope();
        return new ImageDataSet(items.Name + " (groups)", items.Images, labels, Names);
    }
}
