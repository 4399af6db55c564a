namespace Harness.Core.Metrics;

/// <summary>Accuracy and confusion matrices of predicted against true class indices.</summary>
public static class Classification
{
    public static double Accuracy(long[] predicted, long[] truth)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException("predictions and labels differ in length");
        if (truth.Length == 0) return 0;
        int ok = 0;
        for (int i = 0; i < truth.Length; i++) if (predicted[i] == truth[i]) ok++;
        return (double)ok / truth.Length;
    }

    /// <summary>Rows are true classes, columns predicted classes.</summary>
    public static int[,] ConfusionMatrix(long[] predicted, long[] truth, int classes)
    {
        var m = new int[classes, classes];
        for (int i = 0; i < truth.Length; i++) m[truth[i], predicted[i]]++;
        return m;
    }

    /// <summary>Per-class recall: the diagonal over the row sums.</summary>
    public static double[] PerClassAccuracy(int[,] confusion)
    {
        int n = confusion.GetLength(0);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            long row = 0;
            for (int j = 0; j < n; j++) row += confusion[i, j];
            r[i] = row == 0 ? double.NaN : (double)confusion[i, i] / row;
        }
        return r;
    }

    public static double[][] ToRows(int[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => (double)m[i, j]).ToArray()).ToArray();
}
