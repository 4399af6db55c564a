namespace Harness.Tasks.Ex08;

/// <summary>Exercise sheet 08: Fashion-MNIST with the PyTorch MNIST-example network.</summary>
public sealed class Ex08Assignment : IAssignment
{
    public const string AssignmentId = "ex08";
    public string Id => AssignmentId;
    public string Title => "Exercise sheet 08: Fashion-MNIST";
    public string Course => "Deep Learning exercises";
    public string Description => "Loading Fashion-MNIST, the PyTorch MNIST-example CNN, augmentation, batch normalisation, fine-tuning from MNIST, learning curves, t-SNE of features and activation maximisation.";
    public ReportStyle Style { get; } = new();
    public IReadOnlyList<TaskDefinition> Tasks { get; } = new TaskDefinition[]
    {
        new Q1_1LoadData(),
        new Q1_2Baseline(),
        new Q1_3Augmentation(),
        new Q1_4BatchNorm(),
        new Q1_5FineTuning(),
        new Q1_6LearningCurves(),
        new Q2Tsne(),
        new Q3ActivationMaximisation(),
    };
}
