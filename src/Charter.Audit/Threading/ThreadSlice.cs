// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.InteropServices;

namespace Charter.Audit.Threading;

/// <summary>The calling thread's time slice under Linux's EEVDF scheduler (kernel 6.12 and later): how long it may run
/// before a thread of the same priority that is waiting for the core gets it.</summary>
/// <remarks>
/// A background thread that computes for milliseconds at a time (the integrator, a batch of ~1,500 requests every 100 ms)
/// keeps request threads of the same core waiting for up to its slice (3 ms by default) each time they wake. With a
/// 100 µs slice it gives the core back sooner; its share of the CPU is the same (EEVDF keeps the fair share whatever the
/// slice). Set through <c>sched_setattr</c>, which an unprivileged process may do for its own threads: the thread's
/// policy and nice value are read first and kept. Elsewhere (other systems, older kernels, a seccomp filter) it does
/// nothing.
/// </remarks>
public static unsafe partial class ThreadSlice
{
    private const uint AttrSize = 56; // SCHED_ATTR_SIZE_VER1
    private const ulong KeepPolicy = 0x08; // SCHED_FLAG_KEEP_POLICY
    private const uint PolicyNormal = 0; // SCHED_OTHER; with SCHED_BATCH and SCHED_IDLE the fair policies, which take a slice
    private const uint PolicyBatch = 3;
    private const uint PolicyIdle = 5;

    /// <summary>Asks for <paramref name="slice"/> (the kernel keeps it within 0.1-100 ms) for the calling thread.</summary>
    /// <returns>False when the system does not take it.</returns>
    public static bool TrySet(TimeSpan slice)
    {
        if (!TryNumbers(out var set, out var get) || slice <= TimeSpan.Zero)
        {
            return false;
        }

        var attr = default(SchedAttr);
        if (Syscall(get, 0, &attr, AttrSize, 0) != 0 || attr.Policy is not (PolicyNormal or PolicyBatch or PolicyIdle))
        {
            return false; // a real-time or deadline thread's runtime means something else
        }

        attr.Size = AttrSize;
        attr.Flags = KeepPolicy;
        attr.Runtime = (ulong)(slice.Ticks * 100); // ns
        return Syscall(set, 0, &attr, 0, 0) == 0;
    }

    /// <summary>The calling thread's slice as the kernel reports it (<c>sched_runtime</c>), or null where it cannot be read.</summary>
    public static TimeSpan? Get()
    {
        if (!TryNumbers(out _, out var get))
        {
            return null;
        }

        var attr = default(SchedAttr);
        return Syscall(get, 0, &attr, AttrSize, 0) == 0 ? TimeSpan.FromTicks((long)(attr.Runtime / 100)) : null;
    }

    // sched_setattr and sched_getattr: the system calls have no libc wrapper on older glibc.
    private static bool TryNumbers(out long set, out long get)
    {
        (set, get) = !OperatingSystem.IsLinux() ? (0L, 0L) : RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (314L, 315L),
            Architecture.Arm64 => (274L, 275L),
            _ => (0L, 0L),
        };
        return set != 0;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long pid, SchedAttr* attr, ulong sizeOrFlags, ulong flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
        public uint UtilMin;
        public uint UtilMax;
    }
}
