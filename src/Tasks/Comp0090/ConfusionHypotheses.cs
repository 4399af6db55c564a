namespace Harness.Tasks.Comp0090;

/// <summary>
/// Why two Fashion-MNIST classes may be confused: a hypothesis for each pair of FM-1's classes (the pair itself is
/// read from the confusion matrix; this is what the report says about it).
/// </summary>
public static class ConfusionHypotheses
{
    private static readonly Dictionary<(string, string), string> Known = new()
    {
        [("T-shirt/top", "Pullover")] = "both are upper-body garments with the same outline at 28×28 pixels; what tells them apart, sleeve length and knit texture, is a few pixels wide and blurred by the downsampling",
        [("T-shirt/top", "Dress")] = "a long top and a short dress share a silhouette, and length is the main cue left",
        [("T-shirt/top", "Coat")] = "both have a torso and sleeves; a coat's opening or buttons are only a faint vertical line",
        [("T-shirt/top", "Trouser")] = "both can appear as a narrow vertical shape; this pair should be rare",
        [("Trouser", "Pullover")] = "their outlines differ (two legs against a torso with sleeves); this pair should be rare",
        [("Trouser", "Dress")] = "a narrow dress photographed straight on is a tall column like a pair of trousers whose legs touch",
        [("Trouser", "Coat")] = "their outlines differ; this pair should be rare",
        [("Pullover", "Dress")] = "a long pullover and a dress with sleeves share a long torso shape",
        [("Pullover", "Coat")] = "both have long sleeves and a torso of the same outline; a coat's zip, buttons or collar are thin details that the pooling layers wash out",
        [("Dress", "Coat")] = "long coats and dresses are both long garments widening towards the bottom; the opening of a coat is a thin line",
    };

    /// <summary>The hypothesis for a pair of class names (either order), or a generic one.</summary>
    public static string For(string a, string b) =>
        Known.TryGetValue((a, b), out var h) || Known.TryGetValue((b, a), out h) ? h : "their images share outline and texture at this resolution";
}
