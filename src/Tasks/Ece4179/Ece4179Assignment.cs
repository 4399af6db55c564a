namespace Harness.Tasks.Ece4179;

/// <summary>ECE4179/5179 Assignment 3 (Monash): shallow and deep CNNs on STL-10, their confident hits and misses, confusion, augmentation, a better network and occlusion sensitivity.</summary>
public sealed class Ece4179Assignment : IAssignment
{
    public const string AssignmentId = "ece4179";
    public string Id => AssignmentId;
    public string Title => "ECE4179/5179 Assignment 3: CNNs on STL-10";
    public string Course => "ECE4179/5179 Deep Learning and Neural Networks (Monash University)";
    public string Description => "A shallow CNN on the 13,000 labelled STL-10 images, its most confident correct and wrong validation predictions, confusion matrices, a deep CNN, augmentation with per-channel normalisation, a better network, and occlusion sensitivity.";
    public ReportStyle Style { get; } = new();
    public IReadOnlyList<TaskDefinition> Tasks { get; } = new TaskDefinition[]
    {
        new Q1_1ShallowCnn(),
        new Q1_2ConfidentHits(),
        new Q1_3ConfidentMisses(),
        new Q1_4Confusion(),
        new Q2_1DeepCnn(),
        new Q2_2Augmentation(),
        new Q2_3BetterNetwork(),
        new Q3Occlusion(),
    };
}
