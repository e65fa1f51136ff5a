// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Charter.Audit.Hashing;

namespace Charter.Tests.Audit;

/// <summary>The direct OpenSSL SHA-256 and the portable path give .NET's digest for every length, prefix and split.</summary>
public sealed class OpenSslSha256Tests
{
    public static TheoryData<int, int> Lengths => new()
    {
        { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 55 }, { 0, 56 }, { 1, 63 }, { 0, 64 }, { 64, 65 }, { 33, 1000 },
        { 0, OpenSslSha256.ShortInput }, { 1, OpenSslSha256.ShortInput }, { 0, OpenSslSha256.ShortInput + 1 }, { 64, 100_000 },
    };

    [Fact]
    public void IsAvailable_LinuxWithLibcrypto3_IsTrue()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _), "needs libcrypto.so.3");

        Assert.True(OpenSslSha256.IsAvailable);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Hash_AnyPrefixAndLength_IsSha256OfBoth(int prefixLength, int length)
    {
        Assert.SkipUnless(OpenSslSha256.IsAvailable, "OpenSSL's SHA-256 functions are not available here");
        var (prefix, data, expected) = Input(prefixLength, length);
        var digest = new byte[SHA256.HashSizeInBytes];

        OpenSslSha256.Hash(prefix, data, digest);

        Assert.Equal(expected, digest);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void HashIncremental_AnyPrefixAndLength_IsSha256OfBoth(int prefixLength, int length)
    {
        var (prefix, data, expected) = Input(prefixLength, length);
        var digest = new byte[SHA256.HashSizeInBytes];

        ThreadSha256.HashIncremental(prefix, data, digest);

        Assert.Equal(expected, digest);
    }

    [Fact]
    public void Hash_DestinationLongerThanDigest_WritesOnlyTheFirst32Bytes()
    {
        var destination = Enumerable.Repeat((byte)0xAA, 40).ToArray();

        ThreadSha256.Hash("abc"u8, destination);

        Assert.Equal(SHA256.HashData("abc"u8), destination[..32]);
        Assert.All(destination[32..], b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void Hash_DestinationShorterThanDigest_Throws()
    {
        Assert.SkipUnless(OpenSslSha256.IsAvailable, "OpenSSL's SHA-256 functions are not available here");

        Assert.Throws<ArgumentException>(() => OpenSslSha256.Hash(default, "abc"u8, new byte[31]));
    }

    private static (byte[] Prefix, byte[] Data, byte[] Expected) Input(int prefixLength, int length)
    {
        var random = new Random(prefixLength * 31 + length);
        var prefix = new byte[prefixLength];
        var data = new byte[length];
        random.NextBytes(prefix);
        random.NextBytes(data);
        return (prefix, data, SHA256.HashData([.. prefix, .. data]));
    }
}
