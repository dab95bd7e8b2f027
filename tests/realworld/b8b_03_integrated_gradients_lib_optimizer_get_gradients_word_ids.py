"""hiranumn's Keras IntegratedGradients library on a text model: the constructor loops over the
output channels and builds, for each, `self.model.optimizer.get_gradients(self.model.output[:, c],
self.model.input)`, a symbolic gradient of the class score with respect to the model's input
tensors. The user's inputs are word ids that go straight into Embedding layers; the embedding
lookup is indexed by the (cast to integer) ids, so there is no gradient path back to the input
placeholders, and Keras' get_gradients refuses: "Variable Tensor("word_ids:0" ...) has `None`
for gradient". As the author answers, integrated gradients must be taken with respect to the
embedded vectors (the Embedding output), not the discrete ids.
---
source: https://github.com/hiranumn/IntegratedGradients/issues/9
framework: keras2
outcome: error
cause: integer_cast
line: [89, 73]
variables: [word_ids, char_ids]
also: [nondifferentiable_op]
xfail: "tf-keras' optimizer.get_gradients in a TF1 graph (disable_eager_execution) raises for the integer word ids before an Embedding lookup: that symbolic gradient is not diagnosed, nothing is found"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import sys
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_eager_execution()   # the library is written for graph-mode Keras
from tensorflow import keras
import tensorflow.keras.backend as K
from tensorflow.keras.models import Model, Sequential
from tensorflow.keras.layers import (Input, Embedding, LSTM, Dense, Concatenate,
                                     GlobalAveragePooling1D)

np.random.seed(0)
tf.compat.v1.set_random_seed(0)

VOCAB, CHARS, MAXLEN, MAXCHARS = 100, 30, 12, 20


class integrated_gradients:
    # model: Keras model that you wish to explain.
    # outchannels: In case the model are multi tasking, you can specify which output you want explain .
    def __init__(self, model, outchannels=[], verbose=1):

        #get backend info (either tensorflow or theano)
        self.backend = K.backend()

        #load model supports keras.Model and keras.Sequential
        if isinstance(model, Sequential):
            self.model = model.model
        elif isinstance(model, Model):
            self.model = model
        else:
            print("Invalid input model")
            return -1

        #load input tensors
        self.input_tensors = []
        for i in self.model.inputs:
            self.input_tensors.append(i)
        self.input_tensors.append(K.learning_phase())

        #If outputchanels are specified, use it.
        #Otherwise evalueate all outputs.
        self.outchannels = outchannels
        if len(self.outchannels) == 0:
            if verbose: print("Evaluated output channel (0-based index): All")
            self.outchannels = range(self.model.output.shape[1])

        #Build gradient functions for desired output channels.
        self.get_gradients = {}
        if verbose: print("Building gradient functions")

        # Evaluate over all requested channels.
        for c in self.outchannels:
            # Get tensor that calculates gradient
            gradients = self.model.optimizer.get_gradients(self.model.output[:, c], self.model.input)

            # Build computational graph that computes the tensors given inputs
            self.get_gradients[c] = K.function(inputs=self.input_tensors, outputs=gradients)

            if verbose:
                sys.stdout.write('\r')
                sys.stdout.write("Progress: "+str(int((c+1)*1.0/len(self.outchannels)*1000)*1.0/10)+"%")
                sys.stdout.flush()
        # Done
        if verbose: print("\nDone.")


# ---- the user's text classifier: word ids and char ids, each through an Embedding ----
word_ids = Input(shape=(MAXLEN,), name="word_ids")
char_ids = Input(shape=(MAXCHARS,), name="char_ids")
w = LSTM(8)(Embedding(VOCAB, 16)(word_ids))
ch = GlobalAveragePooling1D()(Embedding(CHARS, 8)(char_ids))
out = Dense(2, activation="softmax")(Concatenate()([w, ch]))
model = Model(inputs=[word_ids, char_ids], outputs=out)
model.compile(loss="categorical_crossentropy", optimizer="adam")

X_val = [np.random.randint(0, VOCAB, size=(8, MAXLEN)), np.random.randint(0, CHARS, size=(8, MAXCHARS))]
y_val = keras.utils.to_categorical(np.random.randint(0, 2, size=8), 2)
model.fit(X_val, y_val, epochs=1, verbose=0)

ig = integrated_gradients(model)   # fails while building the gradient functions
