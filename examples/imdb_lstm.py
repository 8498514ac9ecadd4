"""The classic Keras IMDB sentiment LSTM, unchanged but for the imports.

Embedding(20000, 128) -> LSTM(128) -> Dense(1, sigmoid) on reviews cut or padded to 200 words.
Run: python examples/imdb_lstm.py   (about 0.85 test accuracy after 2 epochs)

Needs the IMDB data: ``imdb.load_data`` downloads ``imdb.npz`` once into ``~/.cornu/datasets``
(``$CORNU_HOME/datasets``), or reads a copy put there by hand.
The LSTM keeps ``recurrent_dropout`` at 0 so that it runs on PyTorch's fused kernel; input
``dropout`` is applied as usual.
"""

from cornu.datasets import imdb
from cornu.layers import LSTM, Dense, Embedding, Input
from cornu.models import Sequential
from cornu.utils import pad_sequences

max_features = 20000  # the vocabulary: the 20000 most frequent words
maxlen = 200  # words kept per review
batch_size = 32

print("Loading data...")
(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=max_features)
print(len(x_train), "train sequences,", len(x_test), "test sequences")
x_train = pad_sequences(x_train, maxlen=maxlen)
x_test = pad_sequences(x_test, maxlen=maxlen)
print("x_train shape:", x_train.shape, "x_test shape:", x_test.shape)

model = Sequential(
    [
        Input((maxlen,), dtype="int32"),
        Embedding(max_features, 128),
        LSTM(128, dropout=0.2),
        Dense(1, activation="sigmoid"),
    ]
)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.summary()

model.fit(x_train, y_train, batch_size=batch_size, epochs=2, validation_data=(x_test, y_test))
score, acc = model.evaluate(x_test, y_test, batch_size=batch_size)
print("Test score:", score)
print("Test accuracy:", acc)
