namespace Harness.Tasks.Hw4;

/// <summary>Homework 4 (600.482/682): two-pentagon MLPs, a small CNN on Fashion-MNIST, autoencoders and a frozen-encoder classifier.</summary>
public sealed class Hw4Assignment : IAssignment
{
    public const string AssignmentId = "hw4";
    public string Id => AssignmentId;
    public string Title => "Homework 4: MLPs, CNNs and autoencoders";
    public string Course => "600.482/682 Deep Learning";
    public string Description => "Problem 1: a threshold MLP that separates two pentagons exactly, its sigmoid version trained by gradient descent, and wider/deeper MLPs. Problem 2: a small CNN on Fashion-MNIST, compared with other networks and improved by batch normalisation, dropout, augmentation and the optimiser. Problem 3: a convolutional and a denoising autoencoder, and classifiers on the frozen and on the fine-tuned encoder.";
    public ReportStyle Style { get; } = new();
    public IReadOnlyList<TaskDefinition> Tasks { get; } = new TaskDefinition[]
    {
        new Q1aThresholdMlp(),
        new Q1bSigmoidMlp(),
        new Q1cCapacity(),
        new Q2aCnnDesign(),
        new Q2bCnnTraining(),
        new Q2cComparison(),
        new Q2dImprovements(),
        new Q3aAutoencoder(),
        new Q3bDenoising(),
        new Q3cFrozenEncoder(),
        new Q3dImprovedEncoder(),
    };
}
