using System.Reflection;
using System.Runtime.InteropServices;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using TorchSharp;

namespace Harness.Cli;

/// <summary><c>harness --version</c>: the harness build, TorchSharp, libtorch and the device a run would use.</summary>
public static class VersionCommand
{
    public static int Print(HarnessOptions options)
    {
        var root = OptionsLoader.FindSettingsFile() is { } f ? Path.GetDirectoryName(f) : null;
        var commit = root is null ? null : RunEnvironment.GitCommit(root);
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
        Console.WriteLine($"harness {version}{(commit is null ? "" : $" (commit {commit[..Math.Min(12, commit.Length)]})")}");
        Console.WriteLine($"TorchSharp {RunEnvironment.TorchSharpVersion}");
        Console.WriteLine($"libtorch {RunEnvironment.LibTorchVersion}");
        string device;
        try
        {
            var d = RunEnvironment.ResolveDevice(options.Device);
            device = RunEnvironment.DeviceName(d) + (torch.cuda.is_available()
                ? $" (Device={options.Device.ToString().ToLowerInvariant()}; CUDA available, {torch.cuda.device_count()} device(s))"
                : $" (Device={options.Device.ToString().ToLowerInvariant()}; CUDA not available), {RunEnvironment.Describe(d, null).CpuModel}, {RunEnvironment.EffectiveThreads(options.Threads)} libtorch threads");
        }
        catch (HarnessException e) { device = "none: " + e.Message; }
        Console.WriteLine($"device {device}");
        Console.WriteLine($".NET {RuntimeInformation.FrameworkDescription.Replace(".NET ", "")}, {RuntimeInformation.RuntimeIdentifier}");
        return ExitCodes.Ok;
    }
}
