using Harness.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Grading;

/// <summary>
/// When a student sees a requirement's verdict, in Gradescope's terms: at once, after the due date, once grades are
/// published, or never. Every requirement is judged and counted either way.
/// </summary>
public enum Visibility { Visible, AfterDueDate, AfterPublished, Hidden }

/// <summary>A requirement of the task that judges a submitted model, and when its verdict is shown.</summary>
public sealed record GradedRequirement(string Id, Visibility Visibility = Visibility.Visible);

/// <summary>
/// The opt-in hook of a task whose trained model students submit (implemented by the task's own class, beside its
/// requirements): which of its requirements apply to a submitted model, the reference architecture the weights are
/// loaded into, and how a loaded model is measured on the task's own held-out split. The grader judges what
/// <see cref="Measure"/> records with the task's <c>Requirement</c> objects, as the tests and the report do; parameter
/// counts ("params_&lt;layer&gt;", "params_total") are recorded from the submitted tensors by the grader itself.
/// </summary>
public interface IGradedTask
{
    /// <summary>Ids of the task's requirements that judge a submitted model (parameter counts, accuracy, …).</summary>
    IReadOnlyList<GradedRequirement> GradedRequirements { get; }

    /// <summary>An untrained instance of the reference architecture; the submission's tensors must match its state_dict.</summary>
    nn.Module<Tensor, Tensor> BuildReference();

    /// <summary>The data set of the held-out split (packaged with the autograder).</summary>
    DataSetInfo HeldOutData { get; }

    /// <summary>What the model reads, for the feedback ("1×28×28 Fashion-MNIST images, standardised with …").</summary>
    string InputDescription { get; }

    /// <summary>Measures the loaded model (eval mode, on <see cref="SubmissionContext.Device"/>) on the held-out split of <see cref="SubmissionContext.Profile"/>.</summary>
    void Measure(SubmissionContext ctx, nn.Module<Tensor, Tensor> model);
}

public static class VisibilityNames
{
    /// <summary>Gradescope's spelling: visible, after_due_date, after_published, hidden.</summary>
    public static string Gradescope(this Visibility v) => v switch
    {
        Visibility.AfterDueDate => "after_due_date",
        Visibility.AfterPublished => "after_published",
        Visibility.Hidden => "hidden",
        _ => "visible",
    };

    /// <summary>Whether a student sees it before grades are published.</summary>
    public static bool ShownNow(this Visibility v) => v == Visibility.Visible;
}
