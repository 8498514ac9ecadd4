"""The Keras CIFAR-10 CNN tutorial (Conv2D/MaxPooling2D stack, then Dense), unchanged but for
the imports.

Run: python examples/cifar10_cnn.py   (about 0.7 test accuracy after 10 epochs)
"""

from cornu.datasets import cifar10
from cornu.layers import Conv2D, Dense, Flatten, MaxPooling2D
from cornu.models import Sequential
from cornu.utils import to_categorical

(train_images, train_labels), (test_images, test_labels) = cifar10.load_data()
train_images = train_images.astype("float32") / 255
test_images = test_images.astype("float32") / 255
train_labels = to_categorical(train_labels)
test_labels = to_categorical(test_labels)

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation="relu"))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation="relu"))
model.add(Flatten())
model.add(Dense(64, activation="relu"))
model.add(Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(train_images, train_labels, epochs=10, batch_size=64)
test_loss, test_acc = model.evaluate(test_images, test_labels)
print("test_acc:", test_acc)
