// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Numerics;

namespace Charter.Detection;

/// <summary>
/// Cheap text features of a prompt: a 64-bit SimHash over words (variable parts left in, leading words weighted
/// more so that the template dominates), an exact hash of the normalised text, a template hash (leading words),
/// and two generic, multilingual-tolerant phrase detectors (reasoning elicitation, dataset-making instructions).
/// </summary>
internal static class PromptAnalyzer
{
    /// <summary>Words at the start of a prompt that identify its template.</summary>
    public const int TemplateWords = 4;

    private const int SimHashWords = 48;
    private static readonly ulong[] BitLanes = BuildBitLanes();
    private const int MaxChars = 2048;

    // Phrases asking for the model's reasoning trace. Kept generic (no dev-set template wording).
    // ASCII phrases are matched case-insensitively (vectorised); non-ASCII ones ordinally in their usual casings.
    private static readonly SearchValues<string> ReasoningAscii = SearchValues.Create(
        [
            "step by step", "step-by-step", "chain of thought", "chain-of-thought", "reasoning", "rationale",
            "think carefully", "think through", "think aloud", "think out loud", "let's think", "every step",
            "each step", "show your work", "show all work", "show the work", "work it out", "explain why",
            "thought process", "<think>", "scratchpad", "paso a paso", "razonamiento", "raisonnement",
            "passo a passo", "ragionamento", "begrundung", "schritt fur schritt",
        ],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> ReasoningOther = SearchValues.Create(
        [
            "étape par étape", "Étape par étape", "schritt für schritt", "Schritt für Schritt", "Begründung", "raciocínio",
            "Raciocínio", "一步一步", "逐步", "推理", "思考过程", "段階的", "ステップバイステップ", "пошагово", "Пошагово", "рассуждени",
        ],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> DatasetAscii = SearchValues.Create(
        [
            "dataset", "data set", "training data", "training example", "training set", "train a model", "training corpus",
            "fine-tun", "finetun", "fine tun", "instruction-response", "instruction/response", "instruction and response",
            "instruction-output", "prompt-response", "prompt/response", "prompt-completion", "prompt/completion",
            "question-answer pair", "question/answer pair", "q&a pair", "qa pair", "input-output pair", "pairs of",
            "jsonl", "json lines", "synthetic data", "distill", "sft data", "preference data", "chosen and rejected",
            "datos de entrenamiento", "conjunto de datos", "ejemplos de entrenamiento", "jeu de donn",
            "trainingsdaten", "datensatz", "trainingsbeispiele", "dados de treino", "dados de treinamento", "conjunto de dados",
        ],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> DatasetOther = SearchValues.Create(
        [
            "données d'entraînement", "exemples d'entraînement", "训练数据", "数据集", "微调", "训练样本", "学習データ", "データセット",
            "обучающ", "датасет", "набор данных",
        ],
        StringComparison.Ordinal);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static PromptFeatures Analyze(string prompt)
    {
        var text = prompt.AsSpan(0, Math.Min(prompt.Length, MaxChars));
        var asciiLower = System.Text.Ascii.IsValid(text);
        Span<ulong> acc = stackalloc ulong[16];
        acc.Clear();
        int totalWeight = 0;
        ulong exact = 14695981039346656037UL;
        ulong template = 14695981039346656037UL;
        int words = 0;
        ulong prev = 0;
        int i = 0;
        while (i < text.Length && words < SimHashWords)
        {
            while (i < text.Length && !IsWordChar(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            ulong h = 14695981039346656037UL;
            while (i < text.Length && IsWordChar(text[i]))
            {
                char c = text[i];
                c = asciiLower ? (char)(c | (uint)((uint)(c - 'A') <= 'Z' - 'A' ? 0x20 : 0)) : char.ToLowerInvariant(c);
                h = (h ^ c) * 1099511628211UL;
                i++;
            }

            h = Mix(h);
            exact = (exact ^ h) * 1099511628211UL;
            if (words < TemplateWords)
            {
                template = (template ^ h) * 1099511628211UL;
            }

            if (words < SimHashWords)
            {
                int weight = words < 8 ? 3 : 1;
                Accumulate(acc, h, weight);
                totalWeight += weight;
                if (words > 0)
                {
                    Accumulate(acc, Mix(h ^ (prev * 31)), weight);
                    totalWeight += weight;
                }
            }

            prev = h;
            words++;
        }

        ulong sim = 0;
        for (int b = 0; b < 64; b++)
        {
            int byteIndex = b >> 3;
            int k = b & 7;
            ulong lanes = acc[(byteIndex * 2) + (k >> 2)];
            int count = (int)((lanes >> (16 * (k & 3))) & 0xFFFF);
            if (2 * count > totalWeight)
            {
                sim |= 1UL << b;
            }
        }

        var full = prompt.AsSpan();
        bool ascii = System.Text.Ascii.IsValid(full);
        bool reasoning = full.IndexOfAny(ReasoningAscii) >= 0 || (!ascii && full.IndexOfAny(ReasoningOther) >= 0);
        bool dataset = full.IndexOfAny(DatasetAscii) >= 0 || (!ascii && full.IndexOfAny(DatasetOther) >= 0);
        exact = ((ulong)(uint)string.GetHashCode(full) << 32) ^ (ulong)(uint)full.Length ^ (exact * 0x9E3779B97F4A7C15UL);
        return new PromptFeatures(sim, exact, words == 0 ? 0 : template, words, reasoning, dataset);
    }

    private static bool IsWordChar(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) : char.IsLetterOrDigit(c);

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    public static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return h;
    }

    public static ulong Fnv(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return Mix(h);
    }

    // SWAR SimHash accumulation: for each byte of the feature hash, two ulongs of four 16-bit lanes count the set
    // bits (weights stay far below 65536 because at most SimHashWords words are accumulated).
    private static void Accumulate(Span<ulong> acc, ulong h, int weight)
    {
        var table = BitLanes;
        for (int j = 0; j < 8; j++)
        {
            int v = (int)((h >> (8 * j)) & 0xFF);
            acc[2 * j] += table[2 * v] * (ulong)weight;
            acc[(2 * j) + 1] += table[(2 * v) + 1] * (ulong)weight;
        }
    }

    private static ulong[] BuildBitLanes()
    {
        var table = new ulong[512];
        for (int v = 0; v < 256; v++)
        {
            for (int k = 0; k < 8; k++)
            {
                if (((v >> k) & 1) != 0)
                {
                    table[(2 * v) + (k >> 2)] |= 1UL << (16 * (k & 3));
                }
            }
        }

        return table;
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb53a185a3bd4UL;
        x ^= x >> 33;
        return x;
    }
}
