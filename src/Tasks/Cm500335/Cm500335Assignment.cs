namespace Harness.Tasks.Cm500335;

/// <summary>CM500335 Group Assignment 2 (Bath): PCA, perceptrons, MLPs and CNNs on MNIST, visualising CNNs, multi-task learning.</summary>
public sealed class Cm500335Assignment : IAssignment
{
    public const string AssignmentId = "cm500335";
    /// <summary>Where the full-profile bounds of this assignment come from: the brief states none; the specification sets them.</summary>
    public static readonly ThresholdOrigin Specification = ThresholdOrigin.Specified("set by the assignment's specification (issue 6); the brief states no number");
    public string Id => AssignmentId;
    public string Title => "CM500335 Group Assignment 2: Deep learning";
    public string Course => "CM500335 Deep Learning (University of Bath)";
    public string Description => "PCA of MNIST and linear separability of digit pairs, perceptrons on digit pairs, MLPs and CNNs of several depths, visualising a CNN (filters, activations, deep dream), and single- versus multi-task CNNs on Fashion-MNIST.";
    /// <summary>The brief: Arial 11 pt, readable figures, at most 3,000 words in the main part.</summary>
    public ReportStyle Style { get; } = new(FontFamily: "Arial", FontSize: 11f, WordLimit: 3000, FontRequired: true);
    public IReadOnlyList<TaskDefinition> Tasks { get; } = new TaskDefinition[]
    {
        new T1Pca(),
        new T2_1Perceptron(),
        new T2_2PerceptronPairs(),
        new T3_1Mlp(),
        new T3_2MlpDepth(),
        new T4_1Cnn(),
        new T4_2CnnVariants(),
        new T5Visualising(),
        new T6_1SingleTask(),
        new T6_2MultiTask(),
    };
}
