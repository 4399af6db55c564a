namespace Harness.Tasks.Comp0090;

/// <summary>
/// A task of COMP0090. Its networks are small (conv layers of 8 and 16 channels, an MLP of 256 and 64 units), so libtorch
/// runs them on one thread (as Homework 4's tiny networks): thread hand-offs cost more than the arithmetic, and on the
/// shared 2-core machine two threads made a training step of the 3.1 CNN 4 to 10 times slower than one (75–240 against
/// 700–900 images/s, measured side by side under load). The numbers then do not depend on --threads, and the run key
/// leaves it out; calibration runs go one per core.
/// </summary>
public abstract class Comp0090Task<TSettings> : TaskDefinition<TSettings> where TSettings : notnull
{
    public sealed override string Assignment => Comp0090Assignment.AssignmentId;
    public sealed override bool DependsOnThreadCount => false;
    protected sealed override void Run(RunContext context, TSettings settings) => Hw4.SingleThread.Run(() => RunOnOneThread(context, settings));
    /// <summary>The reference solution, on one libtorch thread.</summary>
    protected abstract void RunOnOneThread(RunContext context, TSettings settings);
}
