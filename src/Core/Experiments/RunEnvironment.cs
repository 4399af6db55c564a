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
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
        typeof(RunEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "LibTorchPackage")?.Value ?? "?",
        projectRoot is null ? null : GitCommit(projectRoot),
        $"{Environment.OSVersion.Platform} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, {Environment.ProcessorCount} cores",
        torch.get_num_threads());

    /// <summary>HEAD's commit read from .git without running git (absent in a source tarball).</summary>
    public static string? GitCommit(string root)
    {
        try
        {
            var git = Path.Combine(root, ".git");
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
            var refName = head[5..];
            var refFile = Path.Combine(git, refName);
            if (File.Exists(refFile)) return File.ReadAllText(refFile).Trim();
            var packed = Path.Combine(git, "packed-refs");
            if (File.Exists(packed))
                foreach (var line in File.ReadLines(packed))
                    if (line.EndsWith(" " + refName, StringComparison.Ordinal)) return line.Split(' ')[0];
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
