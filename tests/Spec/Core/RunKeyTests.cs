using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Training;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>The run key covers everything that changes the numbers, so a record is never served for a run it does not match.</summary>
[Property("Area", "Records")]
public sealed class RunKeyTests
{
    private static ExperimentRunner Runner(HarnessOptions o) => new(o, LineProgress.Silent, Assignments.GetTask);

    [Test]
    public void Thread_count_is_part_of_the_key_of_tasks_whose_numbers_depend_on_it()
    {
        var task = Assignments.GetTask("hw4", "2b");
        var one = Runner(new HarnessOptions { Threads = 1 }).KeyOf(task);
        var two = Runner(new HarnessOptions { Threads = 2 }).KeyOf(task);
        one.ConfigHash.Should().NotBe(two.ConfigHash, "a --threads 1 run must never reuse a --threads 2 record (their losses differ in the 7th digit)");
        Runner(new HarnessOptions { Threads = RunEnvironment.EffectiveThreads(0) }).KeyOf(task)
            .Should().Be(Runner(new HarnessOptions()).KeyOf(task), "Threads = 0 means libtorch's default, the same thread count");
    }

    [Test]
    public void Tasks_that_pin_one_thread_share_their_key_across_thread_counts()
    {
        foreach (var id in new[] { "1b", "1c" })
        {
            var task = Assignments.GetTask("hw4", id);
            task.DependsOnThreadCount.Should().BeFalse();
            Runner(new HarnessOptions { Threads = 1 }).KeyOf(task).Should().Be(Runner(new HarnessOptions { Threads = 2 }).KeyOf(task));
        }
    }

    [Test]
    public void The_key_names_the_device_and_cuda_without_a_gpu_is_refused()
    {
        var task = Assignments.GetTask("ex08", "1.1");
        var cpu = Runner(new HarnessOptions { Device = DeviceChoice.Cpu }).KeyOf(task);
        cpu.Device.Should().Be("cpu");
        cpu.FolderName.Should().Contain("-cpu-");
        if (TorchSharp.torch.cuda.is_available()) Assert.Ignore("this machine has CUDA");
        var act = () => Runner(new HarnessOptions { Device = DeviceChoice.Cuda }).KeyOf(task);
        act.Should().Throw<HarnessException>().WithMessage("*'cuda'*no CUDA device*no CPU record is served*--device cpu*");
    }

    [Test]
    public void Run_with_device_cuda_on_a_cpu_machine_fails_with_one_line_instead_of_reusing_the_cpu_record()
    {
        if (TorchSharp.torch.cuda.is_available()) Assert.Ignore("this machine has CUDA");
        var (code, output) = CliProcess.Run("run", "--assignment", "ex08", "--task", "1.1", "--device", "cuda");
        code.Should().Be(Harness.Cli.ExitCodes.CouldNotRun, output);
        output.Trim().Should().StartWith("harness: Device is set to 'cuda' but libtorch reports no CUDA device").And.NotContain("Reusing");
    }

    [Test]
    public void Settings_json_and_versions_are_hashed_and_records_carry_the_environment_fingerprint()
    {
        var env = RunEnvironment.Describe(TorchSharp.torch.CPU, null);
        env.Device.Should().Be("cpu");
        env.TorchSharpVersion.Should().Be("0.107.0");
        env.LibTorchVersion.Should().NotBe("?");
        env.CpuModel.Should().NotBeNullOrWhiteSpace();
        env.Os.Should().NotBeNullOrWhiteSpace();
        env.DotNet.Should().Contain(".NET");
        env.Cuda.Should().NotBeNullOrWhiteSpace();
        env.Threads.Should().BeGreaterThan(0);
    }
}
