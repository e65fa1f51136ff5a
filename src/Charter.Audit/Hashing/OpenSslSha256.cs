// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Charter.Audit.Hashing;

/// <summary>SHA-256 through OpenSSL's digest functions called directly (Linux with libcrypto 3), on a context on the stack.</summary>
/// <remarks>
/// .NET's own SHA-256 on Linux is OpenSSL too, but each of its calls into its native shim first clears OpenSSL's error
/// queue (<c>ERR_clear_error</c>, which frees sixteen slots one by one) and an incremental hash takes three or four such
/// calls: for the short inputs hashed per request that overhead was larger than the hashing (<c>ERR_clear_error</c> and
/// <c>CRYPTO_free</c> were 1.2 % of the gateway's CPU at saturation, the SHA-256 rounds 0.2 %). <c>SHA256_Init/Update/Final</c>
/// run the same SHA-NI code with none of it. Short inputs are hashed without the GC transition (a few microseconds at
/// most); long ones with it. Where the library or its functions are missing, or the self-test at start fails,
/// <see cref="IsAvailable"/> is false and <see cref="ThreadSha256"/> uses <see cref="IncrementalHash"/>.
/// The low-level functions bypass OpenSSL's providers: a deployment that must hash through a FIPS provider turns this off
/// with the environment variable <c>CHARTER_SHA256_DIRECT=0</c>.
/// </remarks>
internal static unsafe class OpenSslSha256
{
    /// <summary>Inputs up to this size are hashed without a GC transition (~8 µs at SHA-NI speed).</summary>
    internal const int ShortInput = 16 * 1024;

    private const int ContextSize = 128; // sizeof(SHA256_CTX) is 112: h[8], Nl, Nh, data[16], num, md_len

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int> s_init;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int> s_update;
    private static readonly delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int> s_updateLong;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int> s_final;

#pragma warning disable CA1810 // the exports are looked up once, in order, and the result self-tested: a static constructor says that best
    static OpenSslSha256()
#pragma warning restore CA1810
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("CHARTER_SHA256_DIRECT") == "0"
            || !NativeLibrary.TryLoad("libcrypto.so.3", out var library)
            || !NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
            || !NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
            || !NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
        {
            return;
        }

        s_init = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int>)init;
        s_update = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int>)update;
        s_updateLong = (delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int>)update;
        s_final = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int>)final;
        IsAvailable = SelfTest();
    }

    /// <summary>Whether the direct functions were found and hash correctly.</summary>
    public static bool IsAvailable { get; }

    /// <summary>Writes SHA-256(<paramref name="prefix"/> ‖ <paramref name="data"/>) into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("OpenSSL's SHA-256 functions are not available.");
        }

        if (destination.Length < SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("The destination is shorter than a SHA-256 digest.", nameof(destination));
        }

        var context = stackalloc byte[ContextSize];
        fixed (byte* p = prefix)
        fixed (byte* d = data)
        fixed (byte* md = destination)
        {
            var ok = s_init(context) == 1;
            ok &= Update(context, p, prefix.Length);
            ok &= Update(context, d, data.Length);
            ok &= s_final(md, context) == 1;
            if (!ok)
            {
                throw new CryptographicException("OpenSSL failed to compute a SHA-256 digest.");
            }
        }
    }

    private static bool Update(byte* context, byte* data, int length) =>
        length == 0 || (length <= ShortInput ? s_update(context, data, (nuint)length) : s_updateLong(context, data, (nuint)length)) == 1;

    private static bool SelfTest()
    {
        try
        {
            Span<byte> input = stackalloc byte[200];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (byte)(i * 7);
            }

            Span<byte> direct = stackalloc byte[SHA256.HashSizeInBytes];
            Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
            var context = stackalloc byte[ContextSize];
            foreach (var split in (ReadOnlySpan<int>)[0, 1, 64, 200])
            {
                fixed (byte* p = input)
                fixed (byte* md = direct)
                {
                    if (s_init(context) != 1 || !Update(context, p, split) || !Update(context, p + split, input.Length - split)
                        || s_final(md, context) != 1)
                    {
                        return false;
                    }
                }

                SHA256.HashData(input, expected);
                if (!direct.SequenceEqual(expected))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}
