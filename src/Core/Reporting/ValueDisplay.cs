using System.Globalization;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Core.Reporting;

/// <summary>
/// How a recorded value reads in the report: its key in words ("best_test_accuracy" → "Best test accuracy") and its
/// number in the unit the text uses — a check as holds/fails, a judged value as its requirement prints it, accuracies as
/// percentages, differences of accuracies as points, counts with thousands separators.
/// </summary>
public static class ValueDisplay
{
    static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["acc"] = "accuracy", ["accs"] = "accuracies", ["knn"] = "k-NN", ["lr"] = "learning rate", ["ae"] = "autoencoder",
        ["mse"] = "MSE", ["pca"] = "PCA", ["tsne"] = "t-SNE", ["cnn"] = "CNN", ["mlp"] = "MLP", ["bn"] = "batch norm",
        ["fc1"] = "fc1", ["fc2"] = "fc2", ["num"] = "number of", ["max"] = "maximum", ["min"] = "minimum", ["avg"] = "mean",
    };

    /// <summary>The key in words: underscores become spaces, known abbreviations are spelled out, the first letter is capital.</summary>
    public static string Name(string key)
    {
        var words = key.Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries).Select(w => Words.TryGetValue(w, out var v) ? v : w).ToList();
        if (words.Count == 0) return key;
        var text = string.Join(" ", words);
        // "t-SNE", "k-NN", "MSE": a first word with capitals is spelled as it is.
        return words[0].Any(char.IsUpper) ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>The value as the report prints it.</summary>
    public static string Value(string key, double v, RunRecord record, IEnumerable<Requirement> requirements)
    {
        if (record.Checks.ContainsKey(key)) return v == 1 ? "holds" : v == 0 ? "fails" : Plain(v);
        if (requirements.FirstOrDefault(r => r.Value == key && r.Format is not null) is { Format: { } format }) return format.Measured(v);
        if (!double.IsFinite(v)) return Plain(v);
        var tokens = key.ToLowerInvariant().Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries);
        bool Has(params string[] any) => tokens.Any(t => any.Contains(t));
        var accuracy = Has("accuracy", "acc", "accuracies", "precision", "recall", "fraction", "share", "trustworthiness") && !Has("loss");
        if (accuracy && Has("gap", "difference", "drop", "gain", "delta", "change", "improvement"))
            return Show.Points(v) + " points";
        if (Has("gap") && Math.Abs(v) <= 1 && !Has("loss")) return Show.Points(v) + " points";
        if (accuracy && v is >= 0 and <= 1 && !Has("trustworthiness")) return Show.Percent(v);
        return Plain(v);
    }

    /// <summary>A number without a unit: whole numbers with separators, others with up to four decimals.</summary>
    public static string Plain(double v) =>
        !double.IsFinite(v) ? v.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(v - Math.Round(v)) < 1e-9 && Math.Abs(v) < 1e12 ? v.ToString("#,0", CultureInfo.InvariantCulture)
        : v.ToString("0.####", CultureInfo.InvariantCulture) is var s && s != "0" && s != "-0" ? s
        : v.ToString("G4", CultureInfo.InvariantCulture);
}
