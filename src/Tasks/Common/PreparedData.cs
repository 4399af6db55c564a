namespace Harness.Tasks.Common;

/// <summary>Train/validation/test parts of a data set, standardised, ready for the trainer.</summary>
public sealed record PreparedData(ImageDataSet Train, ImageDataSet Validation, ImageDataSet Test, float Mean, float Std);

/// <summary>Sizes of the parts for a profile: the full data at "full", stratified subsets at "smoke".</summary>
public sealed record DataSizes(int Train, int Validation, int Test)
{
    /// <summary>The canonical 60,000/10,000 data with 10% of the training images held out for validation.</summary>
    public static readonly DataSizes Full = new(54000, 6000, 10000);
}

public static class DataPreparation
{
    /// <summary>
    /// The rows of each part: stratified, seeded subsets of the given sizes, train and validation disjoint and both from
    /// the training file, test from the test file.
    /// </summary>
    public static (long[] Train, long[] Validation, long[] Test) Rows(TrainTest data, DataSizes sizes, int seed)
    {
        var labels = data.Train.LabelArray();
        var pool = Splits.StratifiedSubset(labels, sizes.Train + sizes.Validation, seed);
        var poolLabels = pool.Select(i => labels[i]).ToArray();
        var (trainLocal, valLocal) = Splits.Stratified(poolLabels, (double)sizes.Validation / (sizes.Train + sizes.Validation), seed);
        return (trainLocal.Select(i => pool[i]).ToArray(), valLocal.Select(i => pool[i]).ToArray(),
            Splits.StratifiedSubset(data.Test.LabelArray(), sizes.Test, seed));
    }

    /// <summary>The parts of <see cref="Rows"/>, standardised with the mean and standard deviation of the training part.</summary>
    public static PreparedData Prepare(TrainTest data, DataSizes sizes, int seed)
    {
        var (trainIdx, valIdx, testIdx) = Rows(data, sizes, seed);
        var train = data.Train.Subset(trainIdx, "train");
        var (mean, std) = MeanAndStd(train);
        return new PreparedData(Standardised(train, mean, std), Standardised(data.Train.Subset(valIdx, "validation"), mean, std),
            Standardised(data.Test.Subset(testIdx, "test"), mean, std), mean, std);
    }

    /// <summary>
    /// The test part of <see cref="Prepare"/> alone, standardised with the same training mean and standard deviation
    /// (what a submitted model is graded on; the training images are converted only to compute them).
    /// </summary>
    public static ImageDataSet HeldOut(TrainTest data, DataSizes sizes, int seed, string name)
    {
        var (trainIdx, _, testIdx) = Rows(data, sizes, seed);
        var train = data.Train.Subset(trainIdx, "train");
        var (mean, std) = MeanAndStd(train);
        train.Images.Dispose();
        train.Labels.Dispose();
        return Standardised(data.Test.Subset(testIdx, name), mean, std);
    }

    private static (float Mean, float Std) MeanAndStd(ImageDataSet train) => (train.Images.mean().item<float>(), train.Images.std().item<float>());

    private static ImageDataSet Standardised(ImageDataSet s, float mean, float std)
    {
        using (no_grad()) s.Images.sub_(mean).div_(std);
        return s;
    }

    public static void RecordSizes(RunContext ctx, PreparedData d)
    {
        ctx.Value("train_images", d.Train.Count);
        ctx.Value("validation_images", d.Validation.Count);
        ctx.Value("test_images", d.Test.Count);
    }
}
