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
        var (train, validation, test) = DataPreparation.Rows(data, sizes, seed);
        return new PreparedData(data.Train.Subset(train, "train"), data.Train.Subset(validation, "validation"), data.Test.Subset(test, "test"), 0f, 1f);
    }
}
