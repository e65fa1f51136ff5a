// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>One input of a moderation request, as the answer needs it: a string, or a whole multi-modal array.</summary>
/// <param name="Hash">Hash of the text (and image URLs); seeds the category scores.</param>
/// <param name="Markers">The categories whose marker word the text contains, as bits (see <see cref="ModerationCategories"/>).</param>
/// <param name="HasText">Text was given (always for a string; a multi-modal array with a text part).</param>
/// <param name="HasImage">A multi-modal array with an image part.</param>
internal readonly record struct ModerationInput(ulong Hash, int Markers, bool HasText, bool HasImage);
