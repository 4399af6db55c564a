using System.Reflection;
using Harness.Core.Configuration;
using Harness.Core.Records;
using TorchSharp;

namespace Harness.Core.Experiments;

/// <summary>Device choice, seeding and the environment facts written into every record.</summary>
public static class RunEnvironment
{
    public static torch.Device ResolveDevice(DeviceChoice choice)
    {
        switch (choice)
        {
            case DeviceChoice.Cpu: return torch.CPU;
            case DeviceChoice.Cuda when !torch.cuda.is_available():
                throw new HarnessException("Device is set to 'cuda' but libtorch reports no CUDA device. Build with -p:UseCuda=true (needs the TorchSharp-cuda-linux package) on a machine with a GPU, or set Device to auto/cpu.");
            case DeviceChoice.Cuda: return torch.CUDA;
            default: return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
    }

    /// <summary>Seeds every generator libtorch owns; our own shuffles use <see cref="Data.SeededRandom"/>.</summary>
    public static void Seed(int seed, int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    public static EnvironmentInfo Describe(torch.Device device, string? projectRoot) => new(
        device.type.ToString().ToLowerInvariant(),
        TorchSharpVersion,
        LibTorchVersion,
        projectRoot is null ? null : GitCommit(projectRoot),
        $"{Environment.OSVersion.Platform} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, {Environment.ProcessorCount} cores",
        torch.get_num_threads());

    /// <summary>The TorchSharp package version this build references (no native library is loaded).</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The libtorch package this build bundles (from the build's assembly metadata).</summary>
    public static string LibTorchVersion =>
        typeof(RunEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorchPackage")?.Value ?? "?";

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
