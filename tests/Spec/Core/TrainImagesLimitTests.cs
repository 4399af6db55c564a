using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Training;
using Harness.Tasks;
using Harness.Tasks.Cm500335;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>
/// <see cref="HarnessOptions.TrainImagesLimit"/> shrinks the GPU-sized tasks 6.1/6.2 for a CPU machine: it must show in
/// their settings and run key (a capped run is never taken for the full one) and leave every other task alone.
/// </summary>
[Property("Assignment", "cm500335"), Property("Task", "6.1")]
public sealed class TrainImagesLimitTests
{
    private static ExperimentRunner Runner(int limit) =>
        new(new HarnessOptions { Profile = Profile.Full, TrainImagesLimit = limit }, new LineProgress(TextWriter.Null), Assignments.GetTask);

    [Test]
    public void The_limit_caps_the_multi_task_training_images_and_changes_their_run_key()
    {
        var full = Runner(0);
        var capped = Runner(12000);
        foreach (var task in new TaskDefinition[] { new T6_1SingleTask(), new T6_2MultiTask() })
        {
            T6_1SingleTask.TrainingFor(full.Options).Train.Should().BeNull("no limit keeps the brief's 60,000 images");
            T6_1SingleTask.TrainingFor(capped.Options).Train.Should().Be(12000);
            capped.KeyOf(task).ConfigHash.Should().NotBe(full.KeyOf(task).ConfigHash, $"a capped {task.Id} run must not be recorded as the full one");
            task.SettingsJson(capped.Options).GetRawText().Should().Contain("12000");
        }
    }

    [Test]
    public void The_limit_leaves_other_tasks_and_larger_limits_alone()
    {
        Runner(12000).KeyOf(new T4_1Cnn()).Should().Be(Runner(0).KeyOf(new T4_1Cnn()));
        T6_1SingleTask.TrainingFor(new HarnessOptions { Profile = Profile.Smoke, TrainImagesLimit = 5000 }).Train.Should().Be(1000, "smoke already uses fewer");
        T6_1SingleTask.TrainingFor(new HarnessOptions { Profile = Profile.Full, TrainImagesLimit = 100000 }).Train.Should().BeNull();
    }
}
