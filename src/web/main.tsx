import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './touch.css'; // issue 16: 44 px targets on a phone
import './i18n/index.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
