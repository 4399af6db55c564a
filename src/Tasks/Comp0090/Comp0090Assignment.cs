namespace Harness.Tasks.Comp0090;

/// <summary>COMP0090 2020/21 Assignment 3 "Convolutional bag" (UCL): a CNN, its variants and feature maps, pre-training and transfer on two halves of Fashion-MNIST.</summary>
public sealed class Comp0090Assignment : IAssignment
{
    public const string AssignmentId = "comp0090";
    public string Id => AssignmentId;
    public string Title => "Assignment 3: Convolutional bag";
    public string Course => "COMP0090 Introduction to Deep Learning (UCL), 2020/21";
    public string Description => "Fashion-MNIST split into two halves of five labels each (FM-1, FM-2): a CNN trained to convergence on FM-1, ten variants of it derived by validation loss, its feature maps, pre-training an MLP with an autoencoder, and transfer from FM-2 to FM-1 over growing shares of FM-1's training data.";
    public ReportStyle Style { get; } = new();
    public IReadOnlyList<TaskDefinition> Tasks { get; } =
    [
        new T3_1Cnn(),
        new T3_2Variants(),
        new T3_3FeatureMaps(),
        new T3_4Pretraining(),
        new T3_5Transfer(),
    ];

    /// <summary>The brief asks the group to say who did what; the report reads it from contributions.md beside appsettings.json.</summary>
    public IReadOnlyList<ExtraSection> ExtraSections { get; } =
        [new("Contributions", "contributions.md", "a paragraph on who contributed what to this assignment (the brief asks for one).")];
}
