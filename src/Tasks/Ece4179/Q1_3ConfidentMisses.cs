using Harness.Core.Experiments;
namespace Harness.Tasks.Ece4179;

/// <summary>Q1.3: per class, the five misclassified validation images with the highest (wrong) softmax score.</summary>
public sealed class Q1_3ConfidentMisses : Ece4179Task<Q1_3ConfidentMisses.Settings_>
{
    public sealed record Settings_(string Data, int PerClass);

    public override string Id => "1.3";
    public override string Title => "Confident mistakes";
    public override string SeedText => "For each class, show the five images of the validation set that your network misclassifies with the highest confidence, with their true and predicted labels and scores.";
    public override IReadOnlyList<string> DependsOn => ["1.1"];
    public override Settings_ Settings(Profile profile, string data) => new(data, ConfidentExamples.PerClass);
    /// <summary>Only 1.1's recorded predictions are read.</summary>
    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() => ConfidentExamples.Requirements(Id, correct: false);
    protected override void Run(RunContext ctx, Settings_ s) => ConfidentExamples.Run(ctx, correct: false);
}
