#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// MSBuild inline task (see Directory.Build.targets): marks one GLIBCXX version requirement of an ELF64
// shared object weak, in place of a copy, when the system libstdc++ does not provide that version.
public class WeakenGlibcxxRequirement : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";
    /// <summary>File whose creation claims the one build note (every project patches its own copy; the note is said once).</summary>
    public string NoteMarker { get; set; } = "";

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    public override bool Execute()
    {
        string? system = null;
        foreach (var c in LibStdCxxCandidates) if (File.Exists(c)) { system = c; break; }
        if (system != null && Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{system} provides {VersionName}; libLibTorchSharp.so left as shipped.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = File.ReadAllBytes(path);
                var changed = Weaken(bytes, VersionName);
                if (changed == null) { Log.LogMessage(MessageImportance.Low, $"{path}: no {VersionName} requirement."); continue; }
                if (changed == false) continue; // already weak
                // Write a new file and move it over: the output copy may be a hard link into the NuGet cache.
                var tmp = path + ".harness-tmp";
                File.WriteAllBytes(tmp, bytes);
                if (File.Exists(path)) File.Delete(path);
                File.Move(tmp, path);
                var note = $"Harness: the system libstdc++ lacks {VersionName}, which TorchSharp's libLibTorchSharp.so names for one symbol it never calls; " +
                           "the copies in the output folders are marked so that they load (see Directory.Build.targets).";
                Log.LogMessage(ClaimNote(note) ? MessageImportance.High : MessageImportance.Normal, $"{note} Patched: {path}");
            }
            catch (Exception e)
            {
                Log.LogError($"Harness: could not patch {path}: {e.Message}");
                return false;
            }
        }
        return true;
    }

    /// <summary>True for the first patch of a checkout (the marker did not exist yet): only that one is printed.</summary>
    private bool ClaimNote(string note)
    {
        if (NoteMarker.Length == 0) return true;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(NoteMarker)!);
            using var fs = new FileStream(NoteMarker, FileMode.CreateNew, FileAccess.Write);
            var bytes = Encoding.UTF8.GetBytes(note + "\n");
            fs.Write(bytes, 0, bytes.Length);
            return true;
        }
        catch (IOException) { return false; } // another project of this checkout said it already
        catch (UnauthorizedAccessException) { return true; }
    }

    private static bool Contains(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    // Returns null when no such requirement exists, false when it is already weak, true when patched.
    private static bool? Weaken(byte[] b, string version)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        const uint SHT_GNU_verneed = 0x6ffffffe;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != SHT_GNU_verneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long need = off;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(b, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(b, (int)need + 8);
                for (int a = 0; a < cnt; a++)
                {
                    uint name = BitConverter.ToUInt32(b, (int)aux + 8);
                    if (ReadCString(b, strOff + name) == version)
                    {
                        int flagsAt = (int)aux + 4;
                        ushort flags = BitConverter.ToUInt16(b, flagsAt);
                        if ((flags & 2) != 0) return false;
                        flags |= 2; // VER_FLG_WEAK
                        b[flagsAt] = (byte)(flags & 0xff);
                        b[flagsAt + 1] = (byte)(flags >> 8);
                        return true;
                    }
                    uint next = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextNeed = BitConverter.ToUInt32(b, (int)need + 12);
                if (nextNeed == 0) break;
                need += nextNeed;
            }
        }
        return null;
    }

    private static string ReadCString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
