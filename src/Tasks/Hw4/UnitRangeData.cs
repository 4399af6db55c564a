using Harness.Core.Data;
using Harness.Tasks.Common;

namespace Harness.Tasks.Hw4;

/// <summary>
/// Problem 3's data: the same stratified, seeded train/validation/test subsets as <see cref="DataPreparation"/>,
/// but left in [0,1] (not standardised), because the autoencoders reconstruct pixel intensities through a sigmoid
/// and salt-and-pepper noise sets pixels to exactly 0 or 1.
/// </summary>
public static class UnitRangeData
{
    public static PreparedData Prepare(TrainTest data, DataSizes sizes, int seed)
    {
        var labels = data.Train.LabelArray();
        var pool = Splits.StratifiedSubset(labels, sizes.Train + sizes.Validation, seed);
        var poolLabels = pool.Select(i => labels[i]).ToArray();
        var (trainLocal, valLocal) = Splits.Stratified(poolLabels, (double)sizes.Validation / (sizes.Train + sizes.Validation), seed);
        var testIdx = Splits.StratifiedSubset(data.Test.LabelArray(), sizes.Test, seed);
        return new PreparedData(data.Train.Subset(trainLocal.Select(i => pool[i]).ToArray(), "train"),
            data.Train.Subset(valLocal.Select(i => pool[i]).ToArray(), "validation"), data.Test.Subset(testIdx, "test"), 0f, 1f);
    }
}
