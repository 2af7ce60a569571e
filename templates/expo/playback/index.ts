import { registerRootComponent } from 'expo';

import App from './App';

// registerRootComponent calls AppRegistry.registerComponent('main', () => App) and sets up the
// environment for both Expo Go and a development build.
registerRootComponent(App);
