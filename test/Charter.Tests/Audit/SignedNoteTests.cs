// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Signing;

namespace Charter.Tests.Audit;

/// <summary>Known answers from golang.org/x/mod/sumdb/note (the PeterNeumann example).</summary>
public sealed class SignedNoteTests
{
    private const string VKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string SKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string Note = Text + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    [Fact]
    public void TryParse_ReferenceVerifierKey_ParsesWithMatchingKeyId()
    {
        var key = NoteVerifierKey.TryParse(VKey);

        Assert.NotNull(key);
        Assert.Equal("PeterNeumann", key.Name);
        Assert.Equal(0xc74f20a3u, key.KeyId);
        Assert.Equal(VKey, key.Text);
    }

    [Fact]
    public void TryParse_MangledVerifierKey_ReturnsNull()
    {
        Assert.Null(NoteVerifierKey.TryParse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        Assert.Null(NoteVerifierKey.TryParse("Peter+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        Assert.Null(NoteVerifierKey.TryParse("PeterNeumann+c74f20a3"));
    }

    [Fact]
    public void Sign_ReferencePrivateKey_ProducesTheReferenceNote()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(AuditKeyFiles.SigningKeyFile), SKey + "\n");

        using var signer = AuditSigner.LoadOrCreate(dir.Path, "PeterNeumann");

        Assert.Equal(VKey, signer.VerifierKey.Text);
        Assert.Equal(Note, signer.Sign(Text));
    }

    [Fact]
    public void FindValidSigner_ReferenceNote_VerifiesAndRejectsTampering()
    {
        var key = NoteVerifierKey.TryParse(VKey)!;

        Assert.Same(key, SignedNote.TryParse(Note)!.FindValidSigner([key]));
        Assert.Null(SignedNote.TryParse(Note.Replace("answer", "Answer", StringComparison.Ordinal))!.FindValidSigner([key]));
        Assert.Null(SignedNote.TryParse(Note.Replace("— ", "- ", StringComparison.Ordinal)));
    }

    [Fact]
    public void LoadOrCreate_FirstUse_WritesOwnerOnlyKeyFileAndTrustedKey()
    {
        using var dir = new TempDirectory();

        using var signer = AuditSigner.LoadOrCreate(dir.Path, "charter.test/audit");
        using var again = AuditSigner.LoadOrCreate(dir.Path, "charter.test/audit");

        Assert.Equal(signer.VerifierKey.Text, again.VerifierKey.Text);
        Assert.Equal([signer.VerifierKey.Text], AuditKeyFiles.ReadTrustedKeys(dir.Path).Select(k => k.Text));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File(AuditKeyFiles.SigningKeyFile)));
        }
    }

    [Fact]
    public void Checkpoint_NoteText_RoundTrips()
    {
        var root = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var cp = new Charter.Audit.Signing.Checkpoint("example.com/log", 42, root);

        var text = cp.ToNoteText();
        var back = Charter.Audit.Signing.Checkpoint.TryParse(text);

        Assert.Equal("example.com/log\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", text);
        Assert.NotNull(back);
        Assert.Equal(42, back.Size);
        Assert.Equal(root, back.Root);
        Assert.Null(Charter.Audit.Signing.Checkpoint.TryParse("example.com/log\n042\nAAEC\n"));
    }
}
