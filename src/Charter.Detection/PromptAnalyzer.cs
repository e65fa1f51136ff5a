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

    private const int MaxWords = 96;
    private const int MaxChars = 2048;

    // Phrases asking for the model's reasoning trace. Kept generic (no dev-set template wording).
    private static readonly SearchValues<string> ReasoningPhrases = SearchValues.Create(
        [
            "step by step", "step-by-step", "chain of thought", "chain-of-thought", "reasoning", "rationale",
            "think carefully", "think through", "think aloud", "think out loud", "let's think", "every step",
            "each step", "show your work", "show all work", "show the work", "work it out", "explain why",
            "thought process", "<think>", "scratchpad",
            "paso a paso", "razonamiento", "étape par étape", "raisonnement", "schritt für schritt", "begründung",
            "passo a passo", "ragionamento", "raciocínio", "一步一步", "逐步", "推理", "思考过程", "段階的", "ステップバイステップ",
        ],
        StringComparison.OrdinalIgnoreCase);

    // Phrases asking the model to produce training data.
    private static readonly SearchValues<string> DatasetPhrases = SearchValues.Create(
        [
            "dataset", "data set", "training data", "training example", "training set", "train a model", "training corpus",
            "fine-tun", "finetun", "fine tun", "instruction-response", "instruction/response", "instruction and response",
            "instruction-output", "prompt-response", "prompt/response", "prompt-completion", "prompt/completion",
            "question-answer pair", "question/answer pair", "q&a pair", "qa pair", "input-output pair", "pairs of",
            "jsonl", "json lines", "synthetic data", "distill", "sft data", "preference data", "chosen and rejected",
            "datos de entrenamiento", "conjunto de datos", "ejemplos de entrenamiento", "données d'entraînement",
            "jeu de données", "exemples d'entraînement", "trainingsdaten", "datensatz", "trainingsbeispiele",
            "dados de treino", "dados de treinamento", "conjunto de dados", "训练数据", "数据集", "微调", "训练样本",
            "学習データ", "データセット",
        ],
        StringComparison.OrdinalIgnoreCase);

    public static PromptFeatures Analyze(string prompt)
    {
        var text = prompt.AsSpan(0, Math.Min(prompt.Length, MaxChars));
        Span<int> bits = stackalloc int[64];
        bits.Clear();
        ulong exact = 14695981039346656037UL;
        ulong template = 14695981039346656037UL;
        int words = 0;
        ulong prev = 0;
        int i = 0;
        while (i < text.Length && words < MaxWords)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            ulong h = 14695981039346656037UL;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                char c = char.ToLowerInvariant(text[i]);
                h = (h ^ c) * 1099511628211UL;
                i++;
            }

            h = Mix(h);
            exact = (exact ^ h) * 1099511628211UL;
            if (words < TemplateWords)
            {
                template = (template ^ h) * 1099511628211UL;
            }

            int weight = words < 8 ? 3 : 1;
            Accumulate(bits, h, weight);
            if (words > 0)
            {
                Accumulate(bits, Mix(h ^ (prev * 31)), weight);
            }

            prev = h;
            words++;
        }

        ulong sim = 0;
        for (int b = 0; b < 64; b++)
        {
            if (bits[b] > 0)
            {
                sim |= 1UL << b;
            }
        }

        var full = prompt.AsSpan();
        bool reasoning = full.IndexOfAny(ReasoningPhrases) >= 0;
        bool dataset = full.IndexOfAny(DatasetPhrases) >= 0;
        return new PromptFeatures(sim, exact, words == 0 ? 0 : template, words, reasoning, dataset);
    }

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

    private static void Accumulate(Span<int> bits, ulong h, int weight)
    {
        for (int b = 0; b < 64; b++)
        {
            bits[b] += ((h >> b) & 1) != 0 ? weight : -weight;
        }
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
