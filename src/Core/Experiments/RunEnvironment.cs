using System.Reflection;
using System.Runtime.InteropServices;
using Harness.Core.Configuration;
using Harness.Core.Records;
using TorchSharp;

namespace Harness.Core.Experiments;

/// <summary>Device choice, seeding, thread count and the environment fingerprint written into every record.</summary>
public static class RunEnvironment
{
    /// <summary>libtorch's own default, read before anything here changes it (see <see cref="Seed"/>): read after a run
    /// with --threads 1 it would say 1, and a later default run would get another run key than a fresh process's.</summary>
    private static readonly Lazy<int> LibTorchDefaultThreads = new(torch.get_num_threads);
    private static readonly Lazy<string> Cpu = new(ReadCpuModel);

    public static torch.Device ResolveDevice(DeviceChoice choice)
    {
        switch (choice)
        {
            case DeviceChoice.Cpu: return torch.CPU;
            case DeviceChoice.Cuda when !torch.cuda.is_available():
                throw new HarnessException("Device is set to 'cuda' but libtorch reports no CUDA device, so nothing was run and no CPU record is served for it. Build with -p:UseCuda=true (needs the TorchSharp-cuda-linux package) on a machine with a GPU, or set Device to auto/cpu (--device cpu).");
            case DeviceChoice.Cuda: return torch.CUDA;
            default: return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
    }

    /// <summary>The device's short name in run keys and folder names: "cpu" or "cuda".</summary>
    public static string DeviceName(torch.Device device) => device.type.ToString().ToLowerInvariant();

    /// <summary>libtorch's intra-op threads for a Threads setting (0 = libtorch's own default, read once per process).</summary>
    public static int EffectiveThreads(int threads) => threads > 0 ? threads : LibTorchDefaultThreads.Value;

    /// <summary>Seeds every generator libtorch owns and sets the thread count; our own shuffles use <see cref="Data.SeededRandom"/>.</summary>
    public static void Seed(int seed, int threads)
    {
        _ = LibTorchDefaultThreads.Value;
        torch.set_num_threads(EffectiveThreads(threads));
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    public static EnvironmentInfo Describe(torch.Device device, string? projectRoot) => new(
        DeviceName(device),
        TorchSharpVersion,
        LibTorchVersion,
        projectRoot is null ? null : GitCommit(projectRoot),
        $"{Environment.OSVersion.Platform} {RuntimeInformation.OSArchitecture}, {Environment.ProcessorCount} cores",
        torch.get_num_threads(),
        DeviceName: device.type == DeviceType.CUDA ? $"CUDA device {device.index} of {torch.cuda.device_count()}" : Cpu.Value,
        Cuda: torch.cuda.is_available() ? $"available ({torch.cuda.device_count()} device(s)), cuDNN {(torch.cuda.is_cudnn_available() ? "available" : "absent")}" : "absent",
        CpuModel: Cpu.Value,
        Os: RuntimeInformation.OSDescription,
        DotNet: RuntimeInformation.FrameworkDescription);

    /// <summary>The TorchSharp package version this build references (no native library is loaded).</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The libtorch package this build bundles (from the build's assembly metadata).</summary>
    public static string LibTorchVersion =>
        typeof(RunEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorchPackage")?.Value ?? "?";

    private static string ReadCpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var i and > 0) return line[(i + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>HEAD's commit read from .git without running git (absent in a source tarball); follows a worktree's .git file.</summary>
    public static string? GitCommit(string root)
    {
        try
        {
            var git = Path.Combine(root, ".git");
            if (File.Exists(git) && File.ReadAllText(git).Trim() is var link && link.StartsWith("gitdir: ", StringComparison.Ordinal))
                git = Path.GetFullPath(Path.Combine(root, link[8..].Trim()));
            var common = File.Exists(Path.Combine(git, "commondir"))
                ? Path.GetFullPath(Path.Combine(git, File.ReadAllText(Path.Combine(git, "commondir")).Trim())) : git;
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
            var refName = head[5..];
            foreach (var dir in new[] { git, common })
                if (Path.Combine(dir, refName) is var refFile && File.Exists(refFile)) return File.ReadAllText(refFile).Trim();
            var packed = Path.Combine(common, "packed-refs");
            if (File.Exists(packed))
                foreach (var line in File.ReadLines(packed))
                    if (line.EndsWith(" " + refName, StringComparison.Ordinal)) return line.Split(' ')[0];
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
