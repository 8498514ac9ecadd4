"""The classic Keras MNIST tutorial, unchanged but for the imports.

Run: python examples/mnist_mlp.py   (reaches about 0.98 test accuracy in 5 epochs)
"""

from cornu.datasets import mnist
from cornu.layers import Dense
from cornu.models import Sequential
from cornu.utils import to_categorical

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()
train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255
train_labels = to_categorical(train_labels)
test_labels = to_categorical(test_labels)

model = Sequential()
model.add(Dense(512, activation="relu", input_dim=28 * 28))
model.add(Dense(10, activation="softmax"))
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(train_images, train_labels, epochs=5, batch_size=128)
test_loss, test_acc = model.evaluate(test_images, test_labels)
print("test_acc:", test_acc)
