namespace Harness.Tasks.Hw4;

/// <summary>
/// Runs work with libtorch on one intra-op thread and restores the previous count afterwards. The Problem 1 networks
/// are tiny (tens to thousands of weights): thread hand-offs cost more than the arithmetic, and on a busy machine
/// many threads make a step tens of times slower.
/// </summary>
public static class SingleThread
{
    public static T Run<T>(Func<T> work)
    {
        int before = get_num_threads();
        set_num_threads(1);
        try { return work(); }
        finally { set_num_threads(before); }
    }

    public static void Run(Action work) => Run(() => { work(); return 0; });
}
